package agentfabric.lib.windows_test

import data.agentfabric.lib.windows

# 2026-12-07 is a Monday. Nanoseconds since the epoch at the given UTC time.
at(hhmm) := {"time": {"unix_ns": time.parse_rfc3339_ns(sprintf("2026-12-07T%s:00Z", [hhmm]))}}

office := {"start": "09:00", "end": "17:00", "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]}

night := {"start": "22:00", "end": "06:00"}

test_inside_window if windows.within(office) with input as at("10:30")

test_start_is_included if windows.within(office) with input as at("09:00")

test_end_is_excluded if not windows.within(office) with input as at("17:00")

test_before_window if not windows.within(office) with input as at("08:59")

test_wrong_day if not windows.within(office) with input as {"time": {"unix_ns": time.parse_rfc3339_ns("2026-12-06T10:30:00Z")}}

test_window_across_midnight_late if windows.within(night) with input as at("23:15")

test_window_across_midnight_early if windows.within(night) with input as at("05:59")

test_window_across_midnight_outside if not windows.within(night) with input as at("12:00")

test_timezone if windows.within({"start": "10:00", "end": "11:00", "timezone": "Europe/Paris"}) with input as at("09:30")

test_within_any if windows.within_any([office, night]) with input as at("23:00")

test_malformed_time_is_not_within if not windows.within({"start": "9", "end": "17:00"}) with input as at("10:00")
