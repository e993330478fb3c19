// The OASIS CAP 1.2 XML Schema, compiled into the program from
// src/publish/cap-v1.2.xsd at build time. Internal to publish/.
#pragma once

#include <string_view>

namespace vigil::publish {

std::string_view CapXsdText();

}  // namespace vigil::publish
