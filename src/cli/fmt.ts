/** hpm-fmt: placeholder until its issue lands. */
export async function main(_argv: string[]): Promise<number> {
  console.error('hpm-fmt: not built yet');
  return 2;
}
