-- The workspace's business calendar: working hours and China's public holidays with their
-- 调休 make-up working days, as the State Council announces them each year. Add next year's
-- lines when the notice comes out (usually in November); SLA clocks and working-time reminders
-- recompute from the calendar in force. A team with other hours declares its own calendar:
--   crm.calendar("support", { extends = "default", weekdays = {1,2,3,4,5,6}, hours = {{"08:00","20:00"}} })
crm.calendar("default", {
  weekdays = { 1, 2, 3, 4, 5 },                 -- 1 = Monday ... 7 = Sunday
  hours = { { "09:00", "12:00" }, { "13:30", "18:00" } },
  holidays = {
    -- 2025
    "2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06", "2025-05-01..2025-05-05",
    "2025-05-31..2025-06-02", "2025-10-01..2025-10-08",
    -- 2026
    "2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06", "2026-05-01..2026-05-05",
    "2026-06-19..2026-06-21", "2026-09-25..2026-09-27", "2026-10-01..2026-10-07",
  },
  workdays = {
    -- 2025: 调休 Saturdays and Sundays worked
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    -- 2026
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
  },
})
