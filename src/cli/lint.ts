/** hpm-lint: placeholder until its issue lands. */
export async function main(_argv: string[]): Promise<number> {
  console.error('hpm-lint: not built yet');
  return 2;
}
