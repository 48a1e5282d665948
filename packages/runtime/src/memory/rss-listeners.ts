import type { ProcessProbe } from './io';

/**
 * Every RSS reading a monitor takes reaches the regions open on the same probe. A
 * region around synchronous code cannot be sampled by its timer (the thread is busy),
 * so without this its peak would be only the larger endpoint, below a figure the loop
 * inside it printed (an epoch monitor's batch line, a tracker's record).
 */
interface RssListener {
  readonly probe: ProcessProbe;
  heard(rss: number): void;
}

const listeners: RssListener[] = [];

/** Starts passing readings to `listener`; returns the function that stops it. */
export function listenToRss(listener: RssListener): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/** Tells the listeners on `probe` of a reading it just gave. */
export function announceRss(probe: ProcessProbe, rss: number): void {
  for (let i = 0; i < listeners.length; i++) if (listeners[i].probe === probe) listeners[i].heard(rss);
}

/** How many regions are listening: a leak check for tests. */
export function rssListenerCount(): number {
  return listeners.length;
}
