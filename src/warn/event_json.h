// The warning log's events as JSON, for storing them and reading them back.
// Decoding an encoded event gives one that Apply()s exactly as the original,
// so a state replayed from the stored log equals the live one. Each kind
// carries only its own part (evidence, warning or silence); times are RFC 3339
// with full nanoseconds and a number the detector could not compute is null.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "warn/warning.h"

namespace vigil::warn {

std::string EncodeEvent(const Event& event);
// InvalidArgument naming the field for text that is not an encoded event.
Result<Event> DecodeEvent(std::string_view json);

}  // namespace vigil::warn
