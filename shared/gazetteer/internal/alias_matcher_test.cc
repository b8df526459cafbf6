#include "shared/gazetteer/internal/alias_matcher.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace communique::gazetteer::internal {
namespace {

std::vector<std::string> Matched(const AliasMatcher& m, absl::string_view text,
                                 bool longest = true) {
  std::vector<std::string> out;
  for (const AliasMatch& a : longest ? m.FindLongest(text) : m.FindAll(text)) {
    out.emplace_back(a.span.Of(text));
  }
  return out;
}

TEST(AliasMatcherTest, MatchesCaseInsensitivelyOnWordBoundaries) {
  AliasMatcher m;
  m.Add("collective security council", false);
  m.Add("council", false);
  m.Add("CIS", true);
  m.Build();
  EXPECT_THAT(Matched(m, "The Collective Security Council and the CIS met; "
                         "councillors and cis-gender and Cis no."),
              ::testing::ElementsAre("Collective Security Council", "CIS"));
  EXPECT_THAT(Matched(m, "Collective Security Council", false),
              ::testing::ElementsAre("Collective Security Council",
                                     "Council"));
}

TEST(AliasMatcherTest, HyphenAndSpaceAreInterchangeableAndPluralsMatch) {
  AliasMatcher m;
  m.Add("secretary general", false);
  m.Add("Nur-Sultan", false);
  m.Add("protocol", false);
  m.Build();
  EXPECT_THAT(Matched(m, "CSTO Secretary-General in Nur Sultan signed two "
                         "protocols, protocolar."),
              ::testing::ElementsAre("Secretary-General", "Nur Sultan",
                                     "protocols"));
}

TEST(AliasMatcherTest, RespectsUnicodeWordBoundaries) {
  AliasMatcher m;
  m.Add("and", false);
  m.Build();
  // "and" followed by Cyrillic letters is part of a longer word.
  EXPECT_TRUE(Matched(m, "and\xd1\x81\xd0\xb2\xd0\xbe").empty());
  EXPECT_THAT(Matched(m, "\xe2\x80\x9c" "and\xe2\x80\x9d"),
              ::testing::ElementsAre("and"));
}

TEST(AliasMatcherTest, EmptyMatcherFindsNothing) {
  AliasMatcher m;
  m.Build();
  EXPECT_TRUE(Matched(m, "anything").empty());
}

}  // namespace
}  // namespace communique::gazetteer::internal
