# Writes a .cc that embeds a textproto: cmake -DINPUT=... -DOUTPUT=... -P
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT}; do not edit.
#include \"shared/gazetteer/internal/embedded_data.h\"

namespace communique::gazetteer::internal {
namespace {
const char kData[] = {
${bytes}
0};
}  // namespace

absl::string_view EmbeddedGazetteerTextproto() {
  return absl::string_view(kData, ${size});
}

}  // namespace communique::gazetteer::internal
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
