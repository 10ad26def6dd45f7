/** Thrown when a geography file cannot be used; lists every problem found, not just the first. */
export class GeographyError extends Error {
  readonly problems: string[];

  /**
   * @param problems one human-readable problem per entry
   * @param source the file (or other origin) the geography came from, named in the message
   */
  constructor(problems: string[], source?: string) {
    const where = source ? ` in ${source}` : '';
    const head = `invalid geography${where}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super([head, ...problems.map((p) => `  - ${p}`)].join('\n'));
    this.name = 'GeographyError';
    this.problems = problems;
  }
}
