// Token labels of the transformer lab's attention grid: the roles of spec §7's sequences (BOS, m₁…m_k, q for
// induction; content tokens then CLS for classification) for the axes, and role plus token for hover text.
// No ImGui and no libtorch, so the rules are unit-tested on their own.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace polarlab::gui {

struct SequenceLayout {
  bool induction = true;  // false: classification
  int vocab = 50;         // V (induction: BOS = 0, content 1..V−1, shifted queries V..2V−1)
  int labels = 4;         // classification
};

// Short axis label of position pos: "BOS", "m3", "q" (induction); the token number or "CLS" (classification).
std::string token_axis_label(const SequenceLayout& s, const std::vector<std::int64_t>& tokens, int pos);
// Hover text: "m3 = 17", "q = 67 (17 + V)", "17 (label 1)", "CLS".
std::string token_hover_label(const SequenceLayout& s, const std::vector<std::int64_t>& tokens, int pos);
// The key column to highlight: BOS (position 0) for induction, CLS (the last position) for classification.
int anchor_position(const SequenceLayout& s, int T);

// Induction: r (1-based index of the content token the query copies) and the correct next token c;
// r = 0 when the query matches no content token (not a valid induction sequence).
struct InductionAnswer {
  int r = 0;
  std::int64_t target = -1;
};
InductionAnswer induction_answer(const SequenceLayout& s, const std::vector<std::int64_t>& tokens);

// A head's name on screen from its zero-based indices: "L2 H1" for layer index 1, head index 0. Layers and heads
// count from 1 everywhere on screen (the Transformer tab, the Attention workspace), as the paper's "L2 H1".
std::string head_name(std::size_t layer, std::size_t head);

// "sink 0.93" (induction) or "conc. 0.71" (classification) for a head's title.
std::string head_score_text(bool induction, double score);

}  // namespace polarlab::gui
