// The few libtorch headers the lab needs. <torch/torch.h> costs ~28 s per translation unit on the CI box,
// these ~11 s; every torch-including file goes through here. APIs used are the same in libtorch 1.13 and 2.x.
#pragma once
#include <torch/cuda.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/optim/adamw.h>
#include <torch/serialize.h>
#include <torch/utils.h>
#include <torch/version.h>
