// Always-on invariant check, for conditions that only our own bugs can
// break. Bad input and bad requests must never reach it: they get a Status.
#pragma once

#include <cstdio>
#include <cstdlib>

#define COMMUNIQUE_CHECK(cond)                                              \
  do {                                                                      \
    if (!(cond)) {                                                          \
      std::fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__,     \
                   __LINE__, #cond);                                        \
      std::abort();                                                         \
    }                                                                       \
  } while (false)
