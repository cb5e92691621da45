import { StreamHeadCache, type StreamHead } from './sqlite-stream-heads';

const head = (revision: number): StreamHead => [revision, 100 + revision, `hash-${revision}`];

describe('StreamHeadCache', () => {
  it('answers a head written in the transaction at once, and keeps it once the transaction has committed', () => {
    const cache = new StreamHeadCache();
    cache.begin(1);
    cache.wrote('s', head(0));
    expect(cache.get('s')).toEqual(head(0));
    cache.committed();

    cache.begin(1);
    expect(cache.get('s')).toEqual(head(0));
  });

  it('keeps nothing of a transaction that did not commit', () => {
    const cache = new StreamHeadCache();
    cache.begin(1);
    cache.wrote('committed', head(0));
    cache.committed();

    cache.begin(1);
    cache.wrote('committed', head(1));
    cache.wrote('new', head(0));
    // The transaction failed: whatever ends it (rolledBack, or simply the next begin) drops its heads.
    cache.begin(1);
    expect(cache.get('committed')).toEqual(head(0));
    expect(cache.get('new')).toBeUndefined();

    cache.wrote('new', head(0));
    cache.rolledBack();
    cache.begin(1);
    expect(cache.get('new')).toBeUndefined();
    expect(cache.get('committed')).toBeUndefined();
  });

  it('trusts nothing it holds once another connection has committed (data_version moved)', () => {
    const cache = new StreamHeadCache();
    cache.begin(7);
    cache.wrote('s', head(0));
    cache.committed();

    cache.begin(8);
    expect(cache.get('s')).toBeUndefined();
  });

  it('forgets the stream of an append that failed alone, inside a transaction that goes on', () => {
    const cache = new StreamHeadCache();
    cache.begin(1);
    cache.wrote('s', head(0));
    cache.committed();

    cache.begin(1);
    cache.wrote('s', head(1));
    cache.forget('s');
    cache.wrote('other', head(0));
    cache.committed();

    cache.begin(1);
    expect(cache.get('s')).toBeUndefined();
    expect(cache.get('other')).toEqual(head(0));
  });

  it('stays within its capacity, evicting the oldest streams first', () => {
    const cache = new StreamHeadCache(32);
    cache.begin(1);
    for (let stream = 0; stream < 40; stream++) cache.wrote(`s-${stream}`, head(stream));
    cache.committed();

    cache.begin(1);
    const kept = Array.from({ length: 40 }, (_, stream) => cache.get(`s-${stream}`) !== undefined);
    expect(kept.filter(Boolean).length).toBeLessThanOrEqual(32);
    expect(kept.slice(0, 8)).toEqual(Array.from({ length: 8 }, () => false));
    expect(kept.slice(-8)).toEqual(Array.from({ length: 8 }, () => true));
    // A stream it holds is updated in place, whatever the count.
    cache.wrote('s-39', head(40));
    cache.committed();
    cache.begin(1);
    expect(cache.get('s-39')).toEqual(head(40));
  });
});
