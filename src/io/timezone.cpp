#include "io/timezone.h"

#include <chrono>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

namespace elv::tz {

std::optional<Zone> Zone::load(const std::string& name) {
  // CCTZ maps an unknown name to UTC and returns false; a name with a path in it ("../x")
  // never names a zone.
  if (name.empty() || name.find("..") != std::string::npos || name.front() == '/')
    return std::nullopt;
  auto zone = std::make_shared<cctz::time_zone>();
  if (!cctz::load_time_zone(name, zone.get())) return std::nullopt;
  Zone z;
  z.name_ = name;
  z.zone_ = std::move(zone);
  return z;
}

int64_t Zone::local_to_utc(int64_t local_seconds) const {
  const auto& zone = *static_cast<const cctz::time_zone*>(zone_.get());
  const cctz::civil_second civil = cctz::civil_second(1970, 1, 1, 0, 0, 0) + local_seconds;
  // pre = the offset in force before a transition: the first occurrence of a repeated time,
  // and the old offset for a skipped one (see the header).
  const auto lookup = zone.lookup(civil);
  return std::chrono::duration_cast<std::chrono::seconds>(lookup.pre.time_since_epoch()).count();
}

}  // namespace elv::tz
