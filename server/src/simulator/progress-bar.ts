/** A one-line progress bar on a terminal; plain periodic lines when output is not a terminal. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastPct = -1;
  const started = Date.now();
  return (done: number, total: number) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    if (pct === lastPct) return;
    lastPct = pct;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      stream.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${pct}% ${done}/${total} events ${secs}s`);
      if (done >= total) stream.write('\n');
    } else if (pct % 10 === 0) {
      stream.write(`${label}: ${pct}% (${done}/${total} events, ${secs}s)\n`);
    }
  };
}
