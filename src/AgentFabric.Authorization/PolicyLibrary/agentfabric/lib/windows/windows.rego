# Time windows over input.time.unix_ns (set by the input builder, so decisions are reproducible). A window is
# {"start": "09:00", "end": "17:00", "days": ["Monday", ...], "timezone": "Europe/Paris"}; days and timezone are
# optional (every day, UTC); start is included, end excluded; a window whose end is before its start spans midnight.
package agentfabric.lib.windows

# within(window): the request time lies in the window.
within(window) if {
	day_allowed(window)
	start := minutes_of(window.start)
	end := minutes_of(window.end)
	start <= end
	now := minute_of_day(window)
	now >= start
	now < end
}

within(window) if {
	day_allowed(window)
	start := minutes_of(window.start)
	end := minutes_of(window.end)
	start > end
	now := minute_of_day(window)
	spans_midnight(now, start, end)
}

# within_any(windows): the request time lies in one of the windows.
within_any(windows) if {
	some window in windows
	within(window)
}

spans_midnight(now, start, _) if now >= start

spans_midnight(now, _, end) if now < end

day_allowed(window) if not window.days

day_allowed(window) if time.weekday([input.time.unix_ns, timezone(window)]) in window.days

minute_of_day(window) := (clock[0] * 60) + clock[1] if {
	clock := time.clock([input.time.unix_ns, timezone(window)])
}

timezone(window) := object.get(window, "timezone", "UTC")

minutes_of(hhmm) := (to_number(parts[0]) * 60) + to_number(parts[1]) if {
	parts := split(hhmm, ":")
	count(parts) == 2
}
