// Time zones by IANA name (Europe/Berlin), for exports whose timestamps carry no UTC offset
// but are written in the ad account's or the CRM's local time. Backed by CCTZ, which reads
// the system's tz database (Debian's tzdata), so zone rules stay current without elv.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace elv::tz {

class Zone {
 public:
  // nullopt when the name is not a time zone this machine knows.
  static std::optional<Zone> load(const std::string& name);

  const std::string& name() const { return name_; }

  // A wall-clock time in this zone, given as seconds since 1970-01-01T00:00:00 of that wall
  // clock, to seconds since the epoch (UTC). A time skipped by a daylight-saving jump is read
  // with the offset in force before the jump; a repeated one (the hour after clocks go back)
  // as its first occurrence.
  int64_t local_to_utc(int64_t local_seconds) const;

 private:
  std::string name_;
  std::shared_ptr<const void> zone_;  // a cctz::time_zone, kept out of this header
};

}  // namespace elv::tz
