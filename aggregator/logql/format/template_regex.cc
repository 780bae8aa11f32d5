// CompileTemplateRegex (template_regex.h).
#include "aggregator/logql/format/template_regex.h"

#include <re2/re2.h>

namespace silt::logql::format {

bool TakesRegexFirst(std::string_view function) {
  return function == "regexReplaceAll" || function == "regexReplaceAllLiteral" ||
         function == "count";
}

Result<std::unique_ptr<re2::RE2>> CompileTemplateRegex(std::string_view pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return Status::InvalidArgument("error parsing regexp: " + re->error() + ": `" +
                                   std::string(pattern) + "`");
  }
  return re;
}

}  // namespace silt::logql::format
