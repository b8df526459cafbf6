// A plain HTTP/1.0 GET over loopback, for tests that scrape the services'
// Prometheus endpoints.
#pragma once

#include <string>

namespace communique::testing {

// The body of GET http://127.0.0.1:`port``path`; empty if the connection
// fails or the response has no body.
std::string HttpGet(int port, const std::string& path);

}  // namespace communique::testing
