// One sample's attention maps, every layer and head, for a preview (the GUI's layers × heads grid): read
// straight from the memory map, each q×k map averaged down to at most `side`×`side` cells.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/attention/layout.hpp"

namespace polarlab::attention {

struct SampleMaps {
  std::uint64_t layers = 0, heads = 0, q = 0, k = 0;  // of the tensor
  int rows = 0, cols = 0;                              // of each pooled map
  std::vector<float> values;  // [layer][head][rows][cols], each cell the mean of the weights it covers
  float at(std::uint64_t layer, std::uint64_t head, int r, int c) const {
    return values[((layer * heads + head) * static_cast<std::uint64_t>(rows) + static_cast<std::uint64_t>(r)) *
                      static_cast<std::uint64_t>(cols) + static_cast<std::uint64_t>(c)];
  }
};

// Sample `sample` of the tensor `key` in `file`. Throws InputError as the readers do, and for a sample past
// the file's samples or a deflated .npz member (field "sample": previews need an uncompressed tensor).
SampleMaps read_sample_maps(const std::string& file, const std::string& key, Layout layout, std::uint64_t sample,
                            int side = 64);

}  // namespace polarlab::attention
