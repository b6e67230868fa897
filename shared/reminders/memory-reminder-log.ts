// The reminder log in memory: tests, and a single process that needs no table.
import type { ReminderLog } from './reminders.ts';

export class MemoryReminderLog implements ReminderLog {
  /** day#key → the claim: when, and why SES refused its send (null: mailed or on its way). */
  private readonly claims = new Map<string, { at: string; refused: string | null }>();

  async claim(day: string, key: string, at: string): Promise<boolean> {
    const id = `${day}#${key}`;
    if (this.claims.has(id)) return false;
    this.claims.set(id, { at, refused: null });
    return true;
  }

  async release(day: string, key: string): Promise<void> {
    this.claims.delete(`${day}#${key}`);
  }

  async markRefused(day: string, key: string, reason: string): Promise<void> {
    const claim = this.claims.get(`${day}#${key}`);
    // As DynamoDB's condition: only a claim held can say it was refused.
    if (!claim) throw new Error(`no claim of ${key} on ${day} to mark refused`);
    claim.refused = reason;
  }

  async mailedOn(day: string): Promise<boolean> {
    return [...this.claims].some(([id, claim]) => id.startsWith(`${day}#`) && claim.refused === null);
  }

  async refusal(day: string, key: string): Promise<string | null> {
    return this.claims.get(`${day}#${key}`)?.refused ?? null;
  }
}
