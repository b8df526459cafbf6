// The gazetteer textproto compiled into the library (generated at build
// time from shared/gazetteer/data/gazetteer.textproto by CMake).
#pragma once

#include "absl/strings/string_view.h"

namespace communique::gazetteer::internal {

// The embedded textproto; static storage, valid for the whole program.
absl::string_view EmbeddedGazetteerTextproto();

}  // namespace communique::gazetteer::internal
