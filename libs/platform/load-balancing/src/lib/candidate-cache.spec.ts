import { CandidateCache } from './candidate-cache';

const [a, b, c] = ['a', 'b', 'c'].map((id) => ({ id }));

describe(CandidateCache.name, () => {
  it('builds once per distinct list, recognising a copy with the same instances', () => {
    const builds: string[] = [];
    const sut = new CandidateCache<{ id: string }, string>((list) => {
      builds.push(list.map((x) => x.id).join(''));
      return builds.at(-1)!;
    });
    const list = [a, b];
    expect([sut.get(list), sut.get(list), sut.get([a, b]), sut.get([b, a]), sut.get([a, b, c])]).toEqual([
      'ab',
      'ab',
      'ab',
      'ba',
      'abc',
    ]);
    expect(builds).toEqual(['ab', 'ba', 'abc']);
  });

  it('hands the previous value to the next build', () => {
    const sut = new CandidateCache<{ id: string }, number>((_, previous) => (previous ?? 0) + 1);
    sut.get([a]);
    expect(sut.get([b])).toBe(2);
  });
});
