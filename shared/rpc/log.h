// Minimal structured logging: one JSON object per line on stdout, so log
// shippers parse it without configuration. Thread-safe (one fwrite per
// line).
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace communique::rpc {

// Writes {"ts":"<RFC 3339>","severity":level,"msg":message, key: value...}.
// Values are written as JSON strings. Never pass secrets.
void Log(absl::string_view level, absl::string_view message,
         std::initializer_list<std::pair<absl::string_view, std::string>>
             fields = {});

}  // namespace communique::rpc
