// creative_embeddings.npz: a zip of .npy files that numpy.load reads (docs/CREATIVES.md,
// "Outputs"), written with libzip.
#pragma once
#include <string>
#include <vector>

#include "creative/similarity.h"

namespace elv::creative {

// Arrays `ad_id` (n unicode strings, numpy dtype '<U<longest>') and `embedding` (n x d,
// '<f4'). Written to path directly: callers write into a run's temporary folder. Throws
// elv::Error naming the file on failure.
void write_embeddings_npz(const std::string& path, const std::vector<std::string>& ad_ids,
                          const Embeddings& embeddings);

}  // namespace elv::creative
