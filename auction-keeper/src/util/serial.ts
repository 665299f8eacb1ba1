// One pass at a time: a request made while a pass runs yields exactly one more pass after it, so
// overlapping triggers (new blocks, index events) never run two passes at once and never drop one.

export class SerialRunner {
  private busy = false;
  private again = false;
  private current: Promise<void> | undefined;

  /**
   * @param pass the work; runs alone
   * @param isRunning false once the owner stops: no new pass starts
   * @param onError what to do with a pass that threw (the runner keeps going)
   */
  constructor(
    private readonly pass: () => Promise<void>,
    private readonly isRunning: () => boolean,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Runs a pass now, or once more right after the current one. */
  schedule(): void {
    if (!this.isRunning()) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.current = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.wantsAnother());
      } catch (err) {
        this.onError(err);
      } finally {
        this.busy = false;
      }
    })();
  }

  /** A request arrived during the pass just finished (read through a method: the flag changes
   * while the pass awaits, which control-flow analysis cannot see). */
  private wantsAnother(): boolean {
    return this.again && this.isRunning();
  }

  /** Resolves when the pass in progress, if any, has finished. */
  async idle(): Promise<void> {
    await this.current;
  }
}
