// The label markup: scripts, italics, plain-text fallbacks.
#include <gtest/gtest.h>

#include "core/figure/text.hpp"

using namespace polarlab::figure;

TEST(FigureText, SubAndSuperscripts) {
  const auto r = parse_markup("Φ_{ij}(t) 10^{−2}");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].text, "Φ");
  EXPECT_EQ(r[1].text, "ij");
  EXPECT_EQ(r[1].level, -1);
  EXPECT_EQ(r[2].text, "(t) 10");
  EXPECT_EQ(r[3].level, 1);
  EXPECT_EQ(plain_text("Φ_{ij}"), "Φᵢⱼ");
  EXPECT_EQ(plain_text("10^{−2}"), "10⁻²");
  EXPECT_EQ(plain_text("s_j"), "sⱼ");
}

TEST(FigureText, SingleCharacterScriptIsUtf8Aware) {
  const auto r = parse_markup("x_σ");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].text, "σ");
  EXPECT_EQ(plain_text("x_σ"), "x_σ");  // no Unicode subscript sigma: kept readable
}

TEST(FigureText, ItalicsAndStars) {
  const auto r = parse_markup("$t$ and β*");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0].italic);
  EXPECT_EQ(r[0].text, "t");
  EXPECT_FALSE(r[1].italic);
  EXPECT_EQ(plain_text("$u_j$ β*"), "uⱼ β*");
  EXPECT_EQ(plain_text("\\$5"), "$5");
  EXPECT_EQ(plain_text("max_{$j$≠$w$}"), "max_{j≠w}");
}

TEST(FigureText, ItalicInsideScriptsAndEscapes) {
  const auto r = parse_markup("Φ_{$ij$}");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].text, "ij");
  EXPECT_EQ(r[1].level, -1);
  EXPECT_TRUE(r[1].italic);
  EXPECT_EQ(plain_text(escape_markup("relu_norm")), "relu_norm");
  ASSERT_EQ(parse_markup(escape_markup("relu_norm")).size(), 1u);
}
