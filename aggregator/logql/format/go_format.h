// Go's fmt and strconv text forms over TemplateValues, as templates print them: Sprint, Sprintln,
// Sprintf (verbs %v %s %q %d %b %o %O %x %X %c %U %e %E %f %F %g %G %t and %%, flags "+- #0",
// width, precision and '*', Go's "%!d(string=x)" / "%!d(MISSING)" / "%!(EXTRA ...)" markers),
// and strconv.Quote. Also the UTF-8 decoding the string functions share (Go's rules: an invalid
// byte decodes as U+FFFD of width 1). Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "aggregator/logql/format/template_value.h"

namespace silt::logql::format {

// A float64 as Go's %v prints it: shortest digits, %e form for exponents < -4 or >= 6
// ("1e+06", "123456", "1.5e-05"), "NaN", "+Inf", "-Inf".
std::string GoFloatText(double value);

std::string GoSprint(std::span<const TemplateValue> args);
std::string GoSprintln(std::span<const TemplateValue> args);
std::string GoSprintf(std::string_view format, std::span<const TemplateValue> args);

// strconv.Quote: a double-quoted Go string literal with Go's escapes.
std::string GoQuote(std::string_view s);

// Decodes the rune at s[*i] and advances *i; invalid bytes give 0xFFFD and advance by one.
char32_t DecodeRune(std::string_view s, size_t* i);
void AppendRune(char32_t rune, std::string* out);
size_t RuneCount(std::string_view s);

}  // namespace silt::logql::format
