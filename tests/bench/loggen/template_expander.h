// TemplateExpander: fills the placeholders of vocabulary templates ("order {id} created") with
// random values and appends the result, plus the value appenders the formats share (client IPs,
// trace-style hex ids, UUIDs). Placeholders:
//   {id}    skewed integer 1..1000000 (hot ids recur)    {n}     integer 1..99
//   {ms}    request latency in whole milliseconds        {pct}   integer 1..100
//   {word}  a vocabulary word                            {user}  a user name
//   {hex}   8 hex digits                                 {uuid}  a random version-4 UUID
//   {ip}    a client address (95% IPv4, 5% IPv6)         {port}  integer 1024..65535
// Stateless apart from the Rng passed in; thread-compatible.
#pragma once

#include <string_view>

#include "tests/bench/loggen/rng.h"
#include "tests/bench/loggen/text_buffer.h"

namespace silt::loggen {

// Appends `text` with every placeholder replaced. A '{' that does not start a known placeholder
// is a programmer error (assert) in debug builds and copied verbatim otherwise.
void ExpandTemplate(Rng& rng, std::string_view text, TextBuffer* out);

// Appends a client address drawn from a fixed pool of 50,000 clients, a few of them very busy.
void AppendClientIp(Rng& rng, TextBuffer* out);

// Appends a random version-4 UUID in lowercase 8-4-4-4-12 form.
void AppendUuid(Rng& rng, TextBuffer* out);

// Appends `digits` random lowercase hex digits (a W3C trace id is 32, a span id 16).
void AppendRandomHex(Rng& rng, int digits, TextBuffer* out);

}  // namespace silt::loggen
