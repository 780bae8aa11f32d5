// Tests for the dynamic template value (template_value.h).
#include "aggregator/logql/format/template_value.h"

#include <gtest/gtest.h>

namespace silt::logql::format {
namespace {

TEST(TemplateValueTest, ConstantsAreIntsUnlessTheyHaveAFractionOrExponent) {
  EXPECT_EQ(TemplateValue::Constant("42", 42).kind(), TemplateValue::Kind::kInt);
  EXPECT_EQ(TemplateValue::Constant("-9223372036854775807", -9223372036854775807.0).int_value(),
            -9223372036854775807);
  EXPECT_EQ(TemplateValue::Constant("2.0", 2).kind(), TemplateValue::Kind::kFloat);
  EXPECT_EQ(TemplateValue::Constant("1e3", 1000).kind(), TemplateValue::Kind::kFloat);
  EXPECT_EQ(TemplateValue::Constant("99999999999999999999", 1e20).kind(),
            TemplateValue::Kind::kFloat);
  EXPECT_TRUE(TemplateValue::Constant("1", 1).is_constant());
  EXPECT_FALSE(TemplateValue::Int(1).is_constant());
}

TEST(TemplateValueTest, TruthFollowsGo) {
  EXPECT_FALSE(IsTrue(TemplateValue()));
  EXPECT_FALSE(IsTrue(TemplateValue::String("")));
  EXPECT_TRUE(IsTrue(TemplateValue::String("false")));
  EXPECT_FALSE(IsTrue(TemplateValue::Float(0)));
  EXPECT_TRUE(IsTrue(TemplateValue::Int(-1)));
  EXPECT_FALSE(IsTrue(TemplateValue::Map({}, true)));
  EXPECT_FALSE(IsTrue(TemplateValue::List({})));
  EXPECT_TRUE(IsTrue(TemplateValue::Time(time::GoTime())));
}

TEST(TemplateValueTest, PrintsAndNamesTypesAsGo) {
  TemplateMap inner;
  inner["x"] = TemplateValue();
  TemplateMap map;
  map["b"] = TemplateValue::List({TemplateValue::Float(1.5), TemplateValue::Bool(false)});
  map["a"] = TemplateValue::Map(std::move(inner), false);
  TemplateValue v = TemplateValue::Map(std::move(map), false);
  EXPECT_EQ(GoValueText(v), "map[a:map[x:<nil>] b:[1.5 false]]");
  EXPECT_EQ(GoTypeName(v), "map[string]interface {}");
  EXPECT_EQ(GoTypeName(TemplateValue::Map({}, true)), "map[string]string");
  EXPECT_EQ(GoTypeName(TemplateValue::List({})), "[]interface {}");
  EXPECT_EQ(GoTypeName(TemplateValue::Time(time::GoTime())), "time.Time");
  EXPECT_EQ(GoValueText(TemplateValue::Int(-3)), "-3");
}

}  // namespace
}  // namespace silt::logql::format
