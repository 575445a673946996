import { calendarRows, holidayKey, holidaysMissing, settingsChange, weekdayOf, yearRanges } from './calendarModel';

describe('the working calendar', () => {
  it('numbers weekdays from Monday = 0, as the API does', () => {
    expect(weekdayOf('2026-12-07')).toBe(0); // a Monday
    expect(weekdayOf('2026-12-13')).toBe(6); // a Sunday
  });

  it('lists the exceptions by date; only the organisation’s own can be removed', () => {
    const rows = calendarRows([
      { day: '2026-10-01', working: false, name: '国庆节', source: 'china' },
      { day: '2026-06-30', working: false, name: '公司年会', source: 'org' },
    ]);
    expect(rows.map((r) => [r.day, r.weekday, r.removable])).toEqual([
      ['2026-06-30', 1, true],
      ['2026-10-01', 3, false],
    ]);
  });

  it('warns when China’s holidays are used for a year they are not known for', () => {
    expect(holidaysMissing({ year: 2031, china_holidays: true, china_years: [2025, 2026] })).toBe(true);
    expect(holidaysMissing({ year: 2031, china_holidays: false, china_years: [2025, 2026] })).toBe(false);
    expect(holidaysMissing({ year: 2026, china_holidays: true, china_years: [2025, 2026] })).toBe(false);
  });

  it('sends the settings only when they changed, sorted, with the revision read', () => {
    const read = { weekend: [5, 6], china_holidays: true, revision: 4 };
    expect(settingsChange(read, [6, 5], true)).toBeNull();
    expect(settingsChange(read, [6], true)).toEqual({ weekend: [6], china_holidays: true, revision: 4 });
    expect(settingsChange(read, [6, 5], false)).toEqual({ weekend: [5, 6], china_holidays: false, revision: 4 });
  });
});

describe('calendar labels', () => {
  it("names China's holidays in the UI language, other names as they are", () => {
    expect(holidayKey({ name: 'Spring Festival', source: 'china' })).toBe('settings.calendar.holidays.springFestival');
    expect(holidayKey({ name: 'Spring Festival', source: 'org' })).toBeNull();
    expect(holidayKey({ name: '公司年会', source: 'china' })).toBeNull();
  });

  it('shows the covered years as ranges', () => {
    expect(yearRanges([2006, 2004, 2005, 2010, 2012, 2011])).toBe('2004–2006, 2010–2012');
    expect(yearRanges([2026])).toBe('2026');
    expect(yearRanges([])).toBe('');
  });
});
