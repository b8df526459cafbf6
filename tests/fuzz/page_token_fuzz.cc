// libFuzzer target for page-token decoding (shared/schema/validation.h):
// DecodePageToken on any bytes must return a token or INVALID_ARGUMENT
// naming the field, never crash; a decoded token re-encodes to a token
// that decodes to the same value; tokens are bound to their fingerprint;
// every token EncodePageToken makes decodes back to its input.
// Build: tests/fuzz/run.sh (clang, -DCOMMUNIQUE_FUZZ=ON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "shared/schema/validation.h"

namespace schema = ::communique::schema;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckRejection(const absl::Status& status) {
  Check(status.code() == absl::StatusCode::kInvalidArgument);
  Check(absl::StrContains(status.message(), "page_token"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  uint64_t fingerprint = 0;
  if (size >= 8) std::memcpy(&fingerprint, data, 8);

  // The whole input as a token, under two fingerprints.
  for (uint64_t expected : {fingerprint, schema::Fingerprint(bytes)}) {
    auto token = schema::DecodePageToken(bytes, expected);
    if (!token.ok()) {
      CheckRejection(token.status());
      continue;
    }
    Check(token->request_fingerprint == expected);
    const std::string again = schema::EncodePageToken(*token);
    auto round = schema::DecodePageToken(again, expected);
    Check(round.ok());
    Check(round->resume_after == token->resume_after);
    // Bound to its request: another fingerprint is rejected.
    auto other = schema::DecodePageToken(again, expected ^ 1);
    Check(!other.ok());
    CheckRejection(other.status());
  }

  // Encode and decode are symmetric: any resume position of 0 to
  // kMaxPageTokenResumeBytes bytes (store keys, or empty for "from the
  // start") round-trips through a token with its fingerprint.
  schema::PageToken token;
  token.request_fingerprint = fingerprint;
  token.resume_after = std::string(bytes.substr(size >= 8 ? 8 : 0));
  if (token.resume_after.size() <= schema::kMaxPageTokenResumeBytes) {
    const std::string encoded = schema::EncodePageToken(token);
    auto decoded = schema::DecodePageToken(encoded, fingerprint);
    Check(decoded.ok());
    Check(decoded->request_fingerprint == fingerprint);
    Check(decoded->resume_after == token.resume_after);
  }
  return 0;
}
