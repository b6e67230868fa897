// The reminder log in memory: tests, and a single process that needs no table.
import type { ReminderLog } from './reminders.ts';

export class MemoryReminderLog implements ReminderLog {
  private readonly claims = new Map<string, string>();

  async claim(day: string, key: string, at: string): Promise<boolean> {
    const id = `${day}#${key}`;
    if (this.claims.has(id)) return false;
    this.claims.set(id, at);
    return true;
  }

  async release(day: string, key: string): Promise<void> {
    this.claims.delete(`${day}#${key}`);
  }
}
