/**
 * The hook between the checkpointing engine and whoever supplies a step's adjoint:
 * the runtime tape (autodiff/) and compiler-generated adjoint code (@adjoint/transformer)
 * both hand the engine these two functions and nothing else.
 */
import type { Answer } from '../drive/index';
import type { Tree } from '../tree/types';
import type { DeterminismOption } from '../verify/determinism';

/** Plain evaluation of one loop iteration; `index` is the 0-based loop index. */
export type StepFn<S extends Tree = Tree> = (state: S, index: number) => S;

/**
 * Maps the adjoint of a step's output to the adjoint of its input. Adjoints of
 * values the step only reads (its parameters) are accumulated by the pullback
 * itself, into storage owned by whoever built it: the engine sees states only.
 */
export type Pullback<S extends Tree = Tree> = (adjointOut: S) => S;

/** Taped evaluation of one iteration: its output and the pullback of that evaluation. */
export type StepVjp<S extends Tree = Tree> = (state: S, index: number) => readonly [S, Pullback<S>];

/** The two ways an engine evaluates a step, plus the loop condition for loops of unknown length. */
export interface StepHooks<S extends Tree = Tree> {
  step: StepFn<S>;
  stepVjp: StepVjp<S>;
  /** Online schedules only: the loop runs while cond(x_i, i) holds. Asked once per state x_0..x_n as the loop first runs, so it must not draw random numbers. */
  cond?: (state: S, index: number) => boolean;
}

/** A pullback that may answer with a Promise (asynchronous hooks only). */
export type AsyncPullback<S extends Tree = Tree> = (adjointOut: S) => Answer<S>;

/**
 * Hooks whose answers may be Promises: a step that runs on a device answering
 * asynchronously (gpu.js webgpu mode). Only a sweep's forwardAsync()/backwardAsync()
 * can wait for them; StepHooks (the tape, compiled code) stay synchronous.
 */
export interface AsyncStepHooks<S extends Tree = Tree> {
  step: (state: S, index: number) => Answer<S>;
  stepVjp: (state: S, index: number) => Answer<readonly [S, AsyncPullback<S>]>;
  cond?: (state: S, index: number) => Answer<boolean>;
}

/** How a sweep reports what it does and where it keeps disk snapshots; determinismCheck compares every recomputed step with its first result. */
export interface SweepOptions extends DeterminismOption {
  /** true prints the schedule as it runs (dolfin-adjoint style); a function receives the lines instead. */
  verbose?: boolean | ((line: string) => void);
  /** Called after every step evaluation. `total` is undefined while an online loop's length is unknown. */
  onProgress?: (progress: { phase: 'forward' | 'reverse'; done: number; total: number | undefined }) => void;
  /** Parent directory for disk snapshots; a private temp directory is created inside it. */
  dir?: string;
}

/** What a sweep did, counted as it ran (exact, never estimated). */
export interface SweepCounters {
  /** Every call of step or stepVjp. */
  stepCalls: number;
  /** Plain step evaluations made by advance actions. */
  advances: number;
  /** Taped evaluations made by reverse actions. */
  reverses: number;
  peakRamStates: number;
  peakDiskStates: number;
  /** Largest number of bytes held in snapshots (RAM and disk) at once. */
  peakSnapshotBytes: number;
}

/**
 * One differentiated run of a loop under a schedule. forward() executes actions up to
 * the taped evaluation of the last step (or the loop's end, online) and returns x_n;
 * backward(adjoint of x_n) runs the reverse sweep and returns the adjoint of x_0.
 * Storage is released when backward() finishes, when anything throws, or on dispose().
 */
export interface Sweep<S extends Tree = Tree> {
  forward(): S;
  backward(adjointOut: S): S;
  dispose(): void;
  readonly counters: SweepCounters;
  /** The loop length: known after forward() even for online schedules. */
  readonly steps: number | undefined;
}

/**
 * A sweep that can also wait for asynchronous hooks: forwardAsync()/backwardAsync() run the
 * same actions as forward()/backward(), awaiting every hook's answer; the synchronous
 * methods refuse a hook that answers with a Promise (and free all storage).
 */
export interface AsyncSweep<S extends Tree = Tree> extends Sweep<S> {
  forwardAsync(): Promise<S>;
  backwardAsync(adjointOut: S): Promise<S>;
}

/**
 * How reverse mode takes over a checkpointedLoop call. The tape (autodiff/) registers one;
 * checkpointedLoop asks it whether differentiation is active and, if so, hands it the loop.
 */
export interface LoopDifferentiator {
  /** True when the call happens while a trace is recording. */
  active(): boolean;
  /** Run the loop as one differentiable operation of the active trace and return x_n. */
  run<S extends Tree>(hooks: { step: StepFn<S>; cond?: (state: S, index: number) => boolean }, init: S, schedule: import('../schedules/actions').Schedule, options: SweepOptions): S;
}
