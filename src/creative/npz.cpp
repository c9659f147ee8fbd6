#include "creative/npz.h"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "base/clock.h"
#include "base/error.h"
#include "io/utf8.h"

namespace elv::creative {

namespace {

// NPY format 1.0 (numpy.lib.format): magic, version, a little-endian uint16 header length,
// then a Python dict literal padded with spaces and ended by '\n' so the data starts at a
// multiple of 64 bytes, as numpy itself writes it.
std::string npy_header(const std::string& descr, const std::string& shape) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  const size_t prefix = 10;  // magic (6) + version (2) + header length (2)
  const size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xFF);
  out += static_cast<char>((dict.size() >> 8) & 0xFF);
  return out + dict;
}

void append_le32(std::string& out, uint32_t v) {
  for (int b = 0; b < 4; ++b) out += static_cast<char>((v >> (8 * b)) & 0xFF);
}

std::vector<std::vector<uint32_t>> code_points(const std::vector<std::string>& texts) {
  std::vector<std::vector<uint32_t>> out(texts.size());
  for (size_t k = 0; k < texts.size(); ++k)
    for (size_t i = 0; i < texts[k].size();) out[k].push_back(io::utf8::decode(texts[k], i));
  return out;
}

// '<U<longest>': fixed-width UTF-32LE, shorter strings padded with NULs (numpy strips them).
std::string ad_id_npy(const std::vector<std::string>& ad_ids) {
  const auto points = code_points(ad_ids);
  size_t width = 1;
  for (const auto& p : points) width = std::max(width, p.size());
  std::string out =
      npy_header("<U" + std::to_string(width), "(" + std::to_string(ad_ids.size()) + ",)");
  out.reserve(out.size() + ad_ids.size() * width * 4);
  for (const auto& p : points) {
    for (uint32_t cp : p) append_le32(out, cp);
    out.append((width - p.size()) * 4, '\0');
  }
  return out;
}

std::string embedding_npy(const Embeddings& e) {
  std::string out = npy_header("<f4", "(" + std::to_string(e.n) + ", " + std::to_string(e.d) + ")");
  static_assert(sizeof(float) == 4);
  for (float v : e.values) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    append_le32(out, bits);
  }
  return out;
}

struct ZipDiscard {
  void operator()(zip_t* z) const {
    if (z) zip_discard(z);
  }
};

}  // namespace

void write_embeddings_npz(const std::string& path, const std::vector<std::string>& ad_ids,
                          const Embeddings& embeddings) {
  if (ad_ids.size() != embeddings.n || embeddings.values.size() != embeddings.n * embeddings.d)
    throw Error("internal: ad_ids and embeddings differ in size", path);
  const auto fail = [&](const std::string& what) {
    throw Error("cannot write the embeddings archive: " + what +
                    "; check the folder is writable and has space",
                path);
  };
  int code = 0;
  std::unique_ptr<zip_t, ZipDiscard> zip(zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code));
  if (!zip) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    fail(message);
  }
  // libzip reads the buffers at zip_close, so they live until then.
  const std::string arrays[] = {ad_id_npy(ad_ids), embedding_npy(embeddings)};
  const char* names[] = {"ad_id.npy", "embedding.npy"};
  for (int a = 0; a < 2; ++a) {
    zip_source_t* source = zip_source_buffer(zip.get(), arrays[a].data(), arrays[a].size(), 0);
    if (!source) fail(zip_strerror(zip.get()));
    const zip_int64_t index = zip_file_add(zip.get(), names[a], source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(source);
      fail(zip_strerror(zip.get()));
    }
    // The entry's time is the run's (base/clock.h), so SOURCE_DATE_EPOCH pins the archive.
    if (zip_file_set_mtime(zip.get(), static_cast<zip_uint64_t>(index),
                           static_cast<time_t>(now_seconds()), 0) != 0)
      fail(zip_strerror(zip.get()));
    // Stored, not deflated: embeddings barely compress, and numpy reads either.
    if (zip_set_file_compression(zip.get(), static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0)
      fail(zip_strerror(zip.get()));
  }
  if (zip_close(zip.get()) != 0) fail(zip_strerror(zip.get()));
  static_cast<void>(zip.release());  // closed: nothing left to discard
}

}  // namespace elv::creative
