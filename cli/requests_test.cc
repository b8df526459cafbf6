#include "cli/requests.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "shared/status/testing/status_matchers.h"

namespace communique::cli {
namespace {

using ::communique::testing::StatusIs;
using ::testing::HasSubstr;

Invocation Flags(std::vector<std::string> args) {
  Environment none;
  none.get_variable = [](const std::string&) -> std::optional<std::string> {
    return std::nullopt;
  };
  none.read_file = [](const std::string& p) -> absl::StatusOr<std::string> {
    return absl::NotFoundError(p);
  };
  absl::StatusOr<Invocation> inv = Invocation::Parse(args, none);
  EXPECT_TRUE(inv.ok()) << inv.status();
  return *inv;
}

TEST(RequestsTest, EverySummitFilterFieldHasItsFlag) {
  ASSERT_OK_AND_ASSIGN(
      v1::ListSummitsRequest r,
      ListSummitsRequestFrom(
          Flags({"summits", "list", "--organization=CSTO", "--year=2024",
                 "--min_year=2020", "--max_year=2025", "--city=Astana",
                 "--country=Kazakhstan", "--participant_country=Armenia",
                 "--person=vladimir-putin", "--summit_format=in_person",
                 "--topic=terrorism", "--presiding=Kassym-Jomart Tokayev",
                 "--text=collective security", "--start_date=2024-11",
                 "--end_date=2024-12-31", "--order=date_ascending",
                 "--page_size=7", "--consistency_token=44"})));
  const v1::SummitFilter& f = r.filter();
  EXPECT_EQ(f.organization(), "CSTO");
  EXPECT_EQ(f.year(), 2024);
  EXPECT_EQ(f.min_year(), 2020);
  EXPECT_EQ(f.max_year(), 2025);
  EXPECT_EQ(f.city(), "Astana");
  EXPECT_EQ(f.country(), "Kazakhstan");
  EXPECT_EQ(f.participant_country(), "Armenia");
  EXPECT_EQ(f.person(), "vladimir-putin");
  EXPECT_EQ(f.format(), v1::SUMMIT_FORMAT_IN_PERSON);
  EXPECT_EQ(f.topic(), "terrorism");
  EXPECT_EQ(f.presiding(), "Kassym-Jomart Tokayev");
  EXPECT_EQ(f.text(), "collective security");
  EXPECT_EQ(f.start_date().year(), 2024);
  EXPECT_EQ(f.start_date().month(), 11);
  EXPECT_EQ(f.start_date().day(), 0);
  EXPECT_EQ(f.end_date().day(), 31);
  EXPECT_EQ(r.order(), v1::SUMMIT_ORDER_DATE_ASCENDING);
  EXPECT_EQ(r.page_size(), 7);
  EXPECT_EQ(r.consistency_token(), "44");
  // Every SummitFilter field was set: a new proto field needs a flag.
  std::vector<const google::protobuf::FieldDescriptor*> set;
  f.GetReflection()->ListFields(f, &set);
  EXPECT_EQ(set.size(),
            static_cast<size_t>(v1::SummitFilter::descriptor()->field_count()));
}

TEST(RequestsTest, DeclarationAndInitiativeFilters) {
  ASSERT_OK_AND_ASSIGN(
      v1::ListDeclarationsRequest d,
      ListDeclarationsRequestFrom(
          Flags({"declarations", "list", "--kind=treaty", "--status=signed",
                 "--organization=CSTO", "--year=2022", "--text=peace"})));
  EXPECT_EQ(d.parent(), "summits/-");
  EXPECT_EQ(d.kind(), v1::DECLARATION_KIND_TREATY);
  EXPECT_EQ(d.status(), v1::DECLARATION_STATUS_SIGNED);
  EXPECT_EQ(d.year(), 2022);
  EXPECT_EQ(d.text(), "peace");
  ASSERT_OK_AND_ASSIGN(
      v1::ListInitiativesRequest i,
      ListInitiativesRequestFrom(
          Flags({"initiatives", "list", "--parent=summits/a",
                 "--proposer_person=nikol-pashinyan", "--status=implemented",
                 "--topic=terrorism", "--oldest_first"})));
  EXPECT_EQ(i.parent(), "summits/a");
  EXPECT_EQ(i.proposer_person(), "nikol-pashinyan");
  EXPECT_EQ(i.status(), v1::INITIATIVE_STATUS_IMPLEMENTED);
  EXPECT_EQ(i.order(), v1::SUMMIT_ORDER_DATE_ASCENDING);
}

TEST(RequestsTest, BadEnumValueNamesTheFlagAndTheChoices) {
  EXPECT_THAT(
      ListDeclarationsRequestFrom(
          Flags({"declarations", "list", "--kind=memo"}))
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("--kind: unknown value memo (one of: declaration, "
                         "statement")));
  EXPECT_THAT(ListInitiativesRequestFrom(
                  Flags({"initiatives", "list", "--status=signed"}))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--status: unknown value signed (one of: proposed, "
                       "supported, adopted, implemented)"));
}

TEST(RequestsTest, BadDateNamesTheFlag) {
  EXPECT_THAT(
      ListSummitsRequestFrom(Flags({"summits", "list", "--start_date=2024/11"}))
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "--start_date: not a date (YYYY, YYYY-MM or "
               "YYYY-MM-DD): 2024/11"));
  EXPECT_THAT(ParseDateFlag("end_date", "2024-13").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RequestsTest, WatchTakesTheFilterAndStartSequence) {
  ASSERT_OK_AND_ASSIGN(
      v1::WatchSummitsRequest w,
      WatchSummitsRequestFrom(Flags(
          {"summits", "watch", "--organization=CSTO", "--start_sequence=12"})));
  EXPECT_EQ(w.filter().organization(), "CSTO");
  EXPECT_EQ(w.start_sequence(), 12u);
}

}  // namespace
}  // namespace communique::cli
