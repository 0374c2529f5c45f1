/** hpm-run: placeholder until its issue lands. */
export async function main(_argv: string[]): Promise<number> {
  console.error('hpm-run: not built yet');
  return 2;
}
