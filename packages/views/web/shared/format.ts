/**
 * Numbers, money and dates in the person's locale and time zone (the host's), with Intl: one formatter
 * per view, its Intl objects made once. Odoo sends dates as `YYYY-MM-DD` and datetimes as
 * `YYYY-MM-DD HH:MM:SS` in UTC (what search_read answers over XML-RPC and JSON-2).
 */
export class Formatter {
  private readonly numbers = new Map<string, Intl.NumberFormat>();
  private readonly dateFormat: Intl.DateTimeFormat;
  private readonly dateTimeFormat: Intl.DateTimeFormat;

  constructor(
    readonly locale: string,
    readonly timeZone: string | undefined,
  ) {
    // A date has no time zone: shown as the calendar day it is, never shifted.
    this.dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
    this.dateTimeFormat = new Intl.DateTimeFormat(locale, {
      dateStyle: "medium",
      timeStyle: "short",
      ...(timeZone ? { timeZone } : {}),
    });
  }

  private numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
    let format = this.numbers.get(key);
    if (!format) {
      format = new Intl.NumberFormat(this.locale, options);
      this.numbers.set(key, format);
    }
    return format;
  }

  number(value: number, fractionDigits?: number): string {
    const options =
      fractionDigits === undefined
        ? {}
        : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
    return this.numberFormat(`n${fractionDigits}`, options).format(value);
  }

  /** An amount in a currency given by its ISO code (Odoo's currency names are ISO 4217 codes). */
  money(value: number, currency: string | undefined): string {
    if (!currency || !/^[A-Z]{3}$/.test(currency)) return this.number(value, 2);
    return this.numberFormat(`c${currency}`, { style: "currency", currency }).format(value);
  }

  /** A file's size in bytes, kilobytes or megabytes, as the locale writes units. */
  fileSize(bytes: number): string {
    const [unit, value] =
      bytes >= 1024 * 1024
        ? ["megabyte", bytes / 1024 / 1024]
        : bytes >= 1024
          ? ["kilobyte", bytes / 1024]
          : ["byte", bytes];
    // "22 bytes" rather than "22 byte" (the short form of a byte has no plural in English).
    const unitDisplay = unit === "byte" ? "long" : "short";
    return this.numberFormat(`u${unit}`, { style: "unit", unit, unitDisplay, maximumFractionDigits: 1 }).format(value);
  }

  /** `YYYY-MM-DD` as the locale writes a date; anything else unchanged. */
  date(value: string): string {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) return value;
    return this.dateFormat.format(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  }

  /** `YYYY-MM-DD HH:MM:SS` (UTC) in the person's time zone; anything else unchanged. */
  dateTime(value: string): string {
    const instant = Date.parse(`${value.replace(" ", "T")}Z`);
    return /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(value) && !Number.isNaN(instant)
      ? this.dateTimeFormat.format(instant)
      : value;
  }
}
