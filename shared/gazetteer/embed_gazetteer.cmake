# Writes a .cc that embeds a textproto: cmake -DINPUT=... -DOUTPUT=... -P
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT}; do not edit.
#include \"shared/gazetteer/internal/embedded_data.h\"

namespace communique::gazetteer::internal {
namespace {
const unsigned char kData[] = {
${bytes}
0};
}  // namespace

absl::string_view EmbeddedGazetteerTextproto() {
  return absl::string_view(reinterpret_cast<const char*>(kData), ${size});
}

}  // namespace communique::gazetteer::internal
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
