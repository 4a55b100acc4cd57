import { describe, expect, it } from 'vitest';
import { addDays, calendarDaysIn, dayStartIn, todayIn } from '../../dashboard/src/lib/days.ts';

describe('days of a zone', () => {
  // 15:30 UTC: already the 21st in Tokyo and Kiritimati (UTC+14), still the 20th in Los Angeles and Pago Pago
  const instant = Date.parse('2026-11-20T15:30Z');

  it('names the day of an instant in the zone asked for, not the machine’s', () => {
    expect(todayIn('Asia/Tokyo', instant)).toBe('2026-11-21');
    expect(todayIn('Pacific/Kiritimati', instant)).toBe('2026-11-21');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-11-20');
    expect(todayIn('Pacific/Pago_Pago', instant)).toBe('2026-11-20');
  });

  it('starts a day at the zone’s midnight, daylight saving time included', () => {
    expect(dayStartIn('2026-11-21', 'Asia/Tokyo')).toBe(Date.parse('2026-11-20T15:00Z'));
    expect(dayStartIn('2026-11-21', 'Pacific/Kiritimati')).toBe(Date.parse('2026-11-20T10:00Z'));
    expect(dayStartIn('2026-07-01', 'America/Los_Angeles')).toBe(Date.parse('2026-07-01T07:00Z'));
    expect(dayStartIn('2026-12-01', 'America/Los_Angeles')).toBe(Date.parse('2026-12-01T08:00Z'));
    // the days of the changes themselves (Mar 8 and Nov 1, 2026): midnight is before the 2 a.m. switch
    expect(dayStartIn('2026-03-08', 'America/Los_Angeles')).toBe(Date.parse('2026-03-08T08:00Z'));
    expect(dayStartIn('2026-11-01', 'America/Los_Angeles')).toBe(Date.parse('2026-11-01T07:00Z'));
    expect(dayStartIn('2026-11-21', 'UTC')).toBe(Date.parse('2026-11-21T00:00Z'));
    for (const zone of ['Asia/Tokyo', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Europe/London']) {
      for (const day of ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01', '2026-12-31']) {
        expect(todayIn(zone, dayStartIn(day, zone)), `${day} ${zone}`).toBe(day);
        expect(todayIn(zone, dayStartIn(day, zone) - 1), `${day} ${zone}`).toBe(addDays(day, -1));
      }
    }
  });

  it('counts calendar days in the zone, not 24-hour spans', () => {
    const lateTokyo = Date.parse('2026-11-20T23:30+09:00');
    expect(calendarDaysIn(lateTokyo, lateTokyo + 60 * 60_000, 'Asia/Tokyo')).toBe(1);
    expect(calendarDaysIn(lateTokyo, lateTokyo + 60 * 60_000, 'UTC')).toBe(0);
    expect(calendarDaysIn(Date.parse('2026-11-01T00:30-07:00'), Date.parse('2026-11-02T23:30-08:00'), 'America/Los_Angeles')).toBe(1);
  });
});
