#include "core/util/enum_names.hpp"

#include <gtest/gtest.h>

#include "core/experiment/config.hpp"
#include "core/loss/loss.hpp"
#include "core/map/map.hpp"

namespace {

enum class Color { red, green, blue };
constexpr polarlab::EnumName<Color> kColors[] = {
    {Color::red, "red"}, {Color::green, "green"}, {Color::blue, "blue"}, {Color::green, "verde", polarlab::kAlias}};

static_assert(std::string_view(polarlab::name_of(kColors, Color::green)) == "green");
static_assert(polarlab::parse_name(kColors, "verde") == Color::green);
static_assert(!polarlab::parse_name(kColors, "Green"));

TEST(EnumNames, CanonicalNamesAliasesAndFallback) {
  EXPECT_STREQ(polarlab::name_of(kColors, Color::blue), "blue");
  EXPECT_STREQ(polarlab::name_of(kColors, static_cast<Color>(7)), "?");
  EXPECT_STREQ(polarlab::name_of(kColors, static_cast<Color>(7), "none"), "none");
  EXPECT_EQ(polarlab::parse_name(kColors, "red"), Color::red);
  EXPECT_EQ(polarlab::parse_name(kColors, "verde"), Color::green);
  EXPECT_EQ(polarlab::parse_name(kColors, ""), std::nullopt);
  EXPECT_EQ(polarlab::names_of(kColors), (std::vector<std::string>{"red", "green", "blue"}));
  EXPECT_EQ(polarlab::joined_names(kColors), "red, green, blue");
  EXPECT_EQ(polarlab::joined_names(kColors, " "), "red green blue");
}

// The spellings are file formats and CLI values: each one round-trips, aliases included.
TEST(EnumNames, CoreTablesKeepTheirSpellings) {
  using namespace polarlab;
  EXPECT_EQ(map_names(), (std::vector<std::string>{"softmax", "sigmoid", "relu", "l1", "sum", "l2", "relu_norm"}));
  for (const auto& n : map_names()) EXPECT_EQ(map_name(*parse_map(n)), n);
  EXPECT_EQ(loss_names(), (std::vector<std::string>{"logistic", "square", "cross_entropy"}));
  for (const char* alias : {"cross-entropy", "ce", "kl"}) EXPECT_EQ(parse_loss(alias), LossKind::cross_entropy);
  EXPECT_EQ(model_names(), (std::vector<std::string>{"value_softmax", "regression", "tied", "sink"}));
  for (const auto& n : model_names()) EXPECT_EQ(model_name(*parse_model(n)), n);
  EXPECT_FALSE(parse_model("Sink"));
  for (const char* k : {"assumption_3_1", "assumption_3_4", "gaussian", "recipe", "explicit"})
    EXPECT_STREQ(init_kind_name(*parse_init_kind(k)), k);
  EXPECT_EQ(parse_init_kind("explicit"), InitKind::explicit_values);
  EXPECT_FALSE(parse_init_kind("magic"));
}

}  // namespace
