#include "shared/status/status.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <string>

#include "shared/status/result.h"

namespace silt {
namespace {

TEST(StatusTest, DefaultIsOkAndEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, EveryFactoryCarriesItsCodeAndMessage) {
  struct Case {
    Status status;
    StatusCode code;
    const char* name;
  };
  Case cases[] = {
      {Status::InvalidArgument("m"), StatusCode::kInvalidArgument, "InvalidArgument"},
      {Status::NotFound("m"), StatusCode::kNotFound, "NotFound"},
      {Status::Corruption("m"), StatusCode::kCorruption, "Corruption"},
      {Status::IOError("m"), StatusCode::kIOError, "IOError"},
      {Status::Unavailable("m"), StatusCode::kUnavailable, "Unavailable"},
      {Status::ResourceExhausted("m"), StatusCode::kResourceExhausted, "ResourceExhausted"},
      {Status::Unauthenticated("m"), StatusCode::kUnauthenticated, "Unauthenticated"},
      {Status::PermissionDenied("m"), StatusCode::kPermissionDenied, "PermissionDenied"},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(c.status.ok());
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.message(), "m");
    EXPECT_EQ(c.status.ToString(), std::string(c.name) + ": m");
    EXPECT_EQ(StatusCodeName(c.code), c.name);
  }
}

TEST(StatusTest, WithContextPrefixesTheOuterObject) {
  Status inner = Status::InvalidArgument("3:7: unknown key \"prot\"");
  Status outer = inner.WithContext("reading /etc/silt/agent.yaml");
  EXPECT_EQ(outer.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(outer.message(), "reading /etc/silt/agent.yaml: 3:7: unknown key \"prot\"");
  EXPECT_EQ(inner.message(), "3:7: unknown key \"prot\"");  // the copy overload leaves it alone
  EXPECT_TRUE(Status::Ok().WithContext("anything").ok());
}

TEST(StatusTest, FromErrnoMapsLimitsAndMissingFiles) {
  EXPECT_EQ(Status::FromErrno(ENOSPC, "writing /d/x").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(Status::FromErrno(ENOENT, "opening /d/x").code(), StatusCode::kNotFound);
  EXPECT_EQ(Status::FromErrno(EACCES, "opening /d/x").code(), StatusCode::kPermissionDenied);
  Status io = Status::FromErrno(EIO, "fdatasync /d/x");
  EXPECT_EQ(io.code(), StatusCode::kIOError);
  EXPECT_EQ(io.message().substr(0, 15), "fdatasync /d/x:");
}

TEST(StatusTest, CopiesAreIndependentAndEqualityComparesCodeAndMessage) {
  Status a = Status::Corruption("block 3");
  Status b = a;
  EXPECT_EQ(a, b);
  b = std::move(b).WithContext("chunk-1");
  EXPECT_NE(a, b);
  EXPECT_NE(Status::Corruption("x"), Status::IOError("x"));
  Status c;
  c = a;
  EXPECT_EQ(c, a);
}

Status FailsWhen(bool fail) { return fail ? Status::NotFound("thing") : Status::Ok(); }

Status Chain(bool fail, int* reached) {
  SILT_RETURN_IF_ERROR(FailsWhen(fail));
  ++*reached;
  return Status::Ok();
}

TEST(StatusTest, ReturnIfErrorStopsAtTheFirstError) {
  int reached = 0;
  EXPECT_TRUE(Chain(false, &reached).ok());
  EXPECT_EQ(reached, 1);
  EXPECT_EQ(Chain(true, &reached).code(), StatusCode::kNotFound);
  EXPECT_EQ(reached, 1);
}

TEST(ResultTest, HoldsAValue) {
  Result<std::string> r = std::string("hello");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(*r, "hello");
  EXPECT_EQ(r->size(), 5u);
  EXPECT_EQ(r.value_or("x"), "hello");
}

TEST(ResultTest, HoldsAnError) {
  Result<int> r = Status::Unavailable("aggregator 127.0.0.1:7458 refused");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.value_or(7), 7);
}

TEST(ResultTest, MoveOnlyValuesMoveOut) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(42);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 42);
}

Result<int> Parse(bool fail) {
  if (fail) return Status::InvalidArgument("1:3: expected a number");
  return 5;
}

Result<int> Doubled(bool fail) {
  SILT_ASSIGN_OR_RETURN(int v, Parse(fail));
  return v * 2;
}

TEST(ResultTest, AssignOrReturnPropagatesErrorsAndUnwrapsValues) {
  EXPECT_EQ(*Doubled(false), 10);
  Result<int> bad = Doubled(true);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "1:3: expected a number");
}

}  // namespace
}  // namespace silt
