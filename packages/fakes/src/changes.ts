/** One write to the model, in the order it happened. */
export interface ChangeRecord {
  seq: number
  system: 'exchange' | 'entra'
  /** The cmdlet (Exchange, MSOnline) or the Entra operation (setKeyCredentials, patchKeyCredentials). */
  operation: string
  /** What was written: a name, an identity, a service principal id. */
  target: string
  detail: Record<string, unknown>
}

/** The append-only change log: reads never add to it. */
export class ChangeLog {
  readonly records: ChangeRecord[] = []

  record(system: ChangeRecord['system'], operation: string, target: string, detail: Record<string, unknown>) {
    this.records.push({
      seq: this.records.length + 1,
      system,
      operation,
      target,
      detail: JSON.parse(JSON.stringify(detail)),
    })
  }
}
