/**
 * The seed's API: SimConfig + Simulation(domain, fiber, initialFields, boundary?, config)
 * with run() and outputFields. Checkpointing is a config switch (useCheckpointing),
 * not a second class. Fields are time-domain, interleaved (re, im), mode-major.
 */
import type { CheckpointedLoopOptions } from '../checkpoint/schedule-choice';
import type { SweepCounters } from '../checkpoint/types';
import type { Schedule } from '../schedules/actions';
import { SCHEDULE_NAMES, type ScheduleName } from '../schedules/index';
import { resolveBackend } from './backend-choice';
import { ComplexFft, transformModes } from './fft';
import { SYNCHRONOUS_GPU_JS_MODES, type GpuJsMode } from './gpu/modes';
import type { FiberBackendName } from './gpu/select';
import { inputSpectrum, inputSpectrumVjp, type PulseGradient } from './input';
import { fiberModel, type FiberModel } from './model';
import { evaluateObjective, type ObjectiveValue } from './objective';
import { parseGrid, parseModes, parseNonlinearity, parseObjective, parsePulse, parseRaman, type FiberSpec, type ModeSpec, type ObjectiveSpec, type PulseSpec, type RamanSpec } from './problem';
import { propagate, propagateGradient, type BackendFactory } from './simulate';
import {
  ConfigError,
  keyOf,
  readBoolean,
  readChoice,
  readObject,
  readPositive,
  readPositiveInteger,
  requireKey,
  show,
} from './validate';

export interface SimConfigOptions {
  /** nm. */
  readonly centerWavelength: number;
  readonly dispersion?: boolean;
  readonly kerr?: boolean;
  /** Raman scattering with the fiber's model (Blow–Wood when the fiber names none). */
  readonly raman?: boolean;
  readonly selfSteepening?: boolean;
  /** false: gradients keep every state (store-all); true: a checkpoint schedule (revolve by default). */
  readonly useCheckpointing?: boolean;
  /** The seed's name for the number of stored states (snapshots); give one of the two. */
  readonly checkpointSegments?: number;
  readonly snapshots?: number;
  /** A schedule name ('revolve', 'uniform', 'multistage', ...) or a ready Schedule. */
  readonly schedule?: ScheduleName | Schedule;
  /** Keep the fields after every numSave-th step for plots (and the input and output). */
  readonly numSave?: number;
  /** Treat overlap entries below this fraction of |S_1111| as zero (MMTools uses 1e-5); exact when absent. */
  readonly dropOverlapBelow?: number;
  readonly verbose?: CheckpointedLoopOptions['verbose'];
  /** 'js' (default, float64), 'gpu.js', or 'auto'; other than 'js', open the Simulation with Simulation.open. */
  readonly backend?: FiberBackendName;
  /** gpu.js mode for backend 'gpu.js' or 'auto' (backend-choice.ts). */
  readonly gpuMode?: GpuJsMode;
}

const CONFIG_KEYS = [
  'centerWavelength',
  'dispersion',
  'kerr',
  'raman',
  'selfSteepening',
  'useCheckpointing',
  'checkpointSegments',
  'snapshots',
  'schedule',
  'numSave',
  'dropOverlapBelow',
  'verbose',
  'backend',
  'gpuMode',
];

const BACKEND_NAMES: readonly FiberBackendName[] = ['auto', 'js', 'gpu.js'];

export class SimConfig {
  readonly centerWavelength: number;
  readonly dispersion: boolean;
  readonly kerr: boolean;
  readonly raman: boolean;
  readonly selfSteepening: boolean;
  readonly useCheckpointing: boolean;
  readonly snapshots: number | undefined;
  readonly schedule: ScheduleName | Schedule | undefined;
  readonly numSave: number | undefined;
  readonly dropOverlapBelow: number | undefined;
  readonly verbose: CheckpointedLoopOptions['verbose'];
  readonly backend: FiberBackendName;
  readonly gpuMode: GpuJsMode | undefined;

  constructor(options: SimConfigOptions) {
    const o = readObject(options, 'config', CONFIG_KEYS);
    const flag = (name: string, fallback: boolean) => (o[name] === undefined ? fallback : readBoolean(o[name], keyOf('config', name)));
    this.centerWavelength = readPositive(requireKey(o, 'config', 'centerWavelength'), 'config.centerWavelength');
    if (this.centerWavelength < 1) throw new ConfigError('config.centerWavelength', `is in nm, got ${this.centerWavelength} (metres?)`);
    this.dispersion = flag('dispersion', true);
    this.kerr = flag('kerr', true);
    this.raman = flag('raman', true);
    this.selfSteepening = flag('selfSteepening', true);
    this.useCheckpointing = flag('useCheckpointing', false);
    if (o.checkpointSegments !== undefined && o.snapshots !== undefined) {
      throw new ConfigError('config.checkpointSegments', 'give checkpointSegments or snapshots, not both');
    }
    const slots = o.snapshots !== undefined ? o.snapshots : o.checkpointSegments;
    const slotsKey = o.snapshots !== undefined ? 'config.snapshots' : 'config.checkpointSegments';
    this.snapshots = slots === undefined ? undefined : readPositiveInteger(slots, slotsKey);
    if (!this.useCheckpointing) {
      for (const name of ['checkpointSegments', 'snapshots', 'schedule']) {
        if (o[name] !== undefined) throw new ConfigError(keyOf('config', name), 'only applies with useCheckpointing: true');
      }
    }
    const schedule = o.schedule;
    if (typeof schedule === 'string') readChoice(schedule, 'config.schedule', SCHEDULE_NAMES);
    else if (schedule !== undefined && (typeof schedule !== 'object' || schedule === null || typeof (schedule as Schedule).actions !== 'function')) {
      throw new ConfigError('config.schedule', `must be a schedule name (${SCHEDULE_NAMES.join(', ')}) or a Schedule, got ${show(schedule)}`);
    }
    if (schedule === 'store-all' && slots !== undefined) throw new ConfigError(slotsKey, 'does not apply to schedule "store-all", which stores every state');
    this.schedule = schedule as ScheduleName | Schedule | undefined;
    this.numSave = o.numSave === undefined ? undefined : readPositiveInteger(o.numSave, 'config.numSave');
    this.dropOverlapBelow = o.dropOverlapBelow === undefined ? undefined : readPositive(o.dropOverlapBelow, 'config.dropOverlapBelow');
    if (o.verbose !== undefined && typeof o.verbose !== 'boolean' && typeof o.verbose !== 'function') {
      throw new ConfigError('config.verbose', `must be a boolean or a function receiving lines, got ${show(o.verbose)}`);
    }
    this.verbose = o.verbose as CheckpointedLoopOptions['verbose'];
    this.backend = o.backend === undefined ? 'js' : readChoice(o.backend, 'config.backend', BACKEND_NAMES);
    this.gpuMode = o.gpuMode === undefined ? undefined : readChoice(o.gpuMode, 'config.gpuMode', SYNCHRONOUS_GPU_JS_MODES);
    if (this.gpuMode !== undefined && this.backend === 'js') throw new ConfigError('config.gpuMode', 'applies with backend "gpu.js" or "auto" only');
  }

  /** The sweep options these settings stand for. */
  checkpointOptions(): CheckpointedLoopOptions {
    if (!this.useCheckpointing) return { schedule: 'store-all', verbose: this.verbose };
    return { schedule: this.schedule ?? 'revolve', snapshots: this.snapshots, verbose: this.verbose };
  }
}

/** Time window and fiber length with their discretisation. */
export interface Domain {
  readonly points: number;
  readonly windowPs: number;
  readonly lengthM: number;
  readonly steps: number;
}

/** The fiber's physics (switches live in SimConfig). */
export interface SimFiber {
  readonly modes: readonly ModeSpec[];
  readonly gamma?: number;
  readonly n2?: number;
  readonly overlap?: readonly number[];
  readonly raman?: RamanSpec;
}

/** Only the FFT's periodic time window is supported. */
export type Boundary = 'periodic';

export interface SavedFields {
  readonly step: number;
  readonly z: number;
  readonly fields: Float64Array;
}

export interface SimulationGradient {
  readonly value: number;
  /** Adjoint (Wirtinger: ∂J/∂Re + i·∂J/∂Im) of the initial time-domain fields. */
  readonly fieldsAdjoint: Float64Array;
  /** Gradient w.r.t. the pulse parameters when the initial fields were given as a pulse. */
  readonly pulseGradient: PulseGradient | undefined;
  readonly counters: SweepCounters;
}

export class Simulation {
  readonly config: SimConfig;
  readonly model: FiberModel;
  readonly initialSpectrum: Float64Array;
  /** Time-domain output fields, after run() or gradient(). */
  outputFields: Float64Array | undefined;
  outputSpectrum: Float64Array | undefined;
  /** Every numSave-th step's fields (time domain), after run(). */
  savedFields: SavedFields[] = [];
  private readonly pulse: PulseSpec | undefined;
  private readonly fft: ComplexFft;
  private readonly backend: BackendFactory | undefined;

  /**
   * A Simulation on the backend config.backend names. Choosing one probes gpu.js modes,
   * which is asynchronous; with backend 'js' the constructor does the same.
   */
  static async open(domain: Domain, fiber: SimFiber, initialFields: Float64Array | PulseSpec, boundary: Boundary | undefined | null, config: SimConfig): Promise<Simulation> {
    if (!(config instanceof SimConfig)) throw new ConfigError('config', 'must be a SimConfig');
    const ready = await resolveBackend({ backend: config.backend, gpuMode: config.gpuMode });
    return new Simulation(domain, fiber, initialFields, boundary, config, ready.factory);
  }

  /** `backend`: a ready factory (backend-choice.ts); without one, config.backend must be 'js'. */
  constructor(domain: Domain, fiber: SimFiber, initialFields: Float64Array | PulseSpec, boundary: Boundary | undefined | null, config: SimConfig, backend?: BackendFactory) {
    if (!(config instanceof SimConfig)) throw new ConfigError('config', 'must be a SimConfig');
    if (backend === undefined && config.backend !== 'js') {
      throw new ConfigError('config.backend', `"${config.backend}" is chosen by probing gpu.js modes, which is asynchronous: use await Simulation.open(...)`);
    }
    if (boundary !== undefined && boundary !== null && boundary !== 'periodic') {
      throw new ConfigError('boundary', `only "periodic" (the FFT time window) is supported, got ${show(boundary)}`);
    }
    const d = readObject(domain, 'domain', ['points', 'windowPs', 'lengthM', 'steps']);
    const grid = parseGrid({ points: d.points, windowPs: d.windowPs, centerWavelengthNm: config.centerWavelength }, 'domain');
    const f = readObject(fiber, 'fiber', ['modes', 'gamma', 'n2', 'overlap', 'raman']);
    const modes = parseModes(requireKey(f, 'fiber', 'modes'), 'fiber.modes');
    const spec: FiberSpec = {
      lengthM: readPositive(requireKey(d, 'domain', 'lengthM'), 'domain.lengthM'),
      steps: readPositiveInteger(requireKey(d, 'domain', 'steps'), 'domain.steps'),
      modes,
      ...parseNonlinearity(f, 'fiber', modes.length),
      raman: f.raman === undefined ? { model: 'blow-wood' } : parseRaman(f.raman, 'fiber.raman'),
      selfSteepening: true,
    };
    const { dispersion, kerr, raman, selfSteepening, dropOverlapBelow } = config;
    this.config = config;
    this.model = fiberModel(grid, spec, { switches: { dispersion, kerr, raman, selfSteepening }, dropOverlapBelow });
    this.fft = new ComplexFft(grid.points);
    this.backend = backend;
    const size = 2 * modes.length * grid.points;
    if (initialFields instanceof Float64Array) {
      if (initialFields.length !== size) {
        throw new ConfigError('initialFields', `${modes.length} modes × ${grid.points} points need ${size} numbers (interleaved re, im), got ${initialFields.length}`);
      }
      this.initialSpectrum = new Float64Array(size);
      transformModes(this.fft, 'positive', initialFields, this.initialSpectrum);
    } else {
      this.pulse = parsePulse(initialFields, 'initialFields', modes.length, grid);
      this.initialSpectrum = inputSpectrum(this.pulse, this.model.grid, this.fft);
    }
  }

  /** Propagates over the whole fiber; fills outputFields and, with numSave, savedFields. */
  run(): this {
    const result = propagate(this.model, this.initialSpectrum, { saveEvery: this.config.numSave, backend: this.backend });
    this.setOutput(result.spectrum);
    this.savedFields = result.saved.map(({ step, z, spectrum }) => ({ step, z, fields: this.toFields(spectrum) }));
    return this;
  }

  /**
   * An objective of the output spectra (a problem-file objective, or a function giving
   * value and spectrum adjoint) and its gradient w.r.t. the initial fields, under the
   * config's checkpointing.
   */
  gradient(objective: ObjectiveSpec | ((spectrum: Float64Array) => ObjectiveValue)): SimulationGradient {
    const grid = this.model.grid;
    const evaluate =
      typeof objective === 'function'
        ? objective
        : (() => {
            const spec = parseObjective(objective, 'objective', this.model.modes, grid);
            return (spectrum: Float64Array) => evaluateObjective(spec, spectrum, grid);
          })();
    const result = propagateGradient(
      this.model,
      this.initialSpectrum,
      (spectrum) => {
        this.setOutput(spectrum);
        return evaluate(spectrum);
      },
      { checkpoint: this.config.checkpointOptions(), backend: this.backend },
    );
    // Â = F(A) per mode, so Ā = F^H(Â̄) = negative(Â̄)/N (grid.ts).
    const fieldsAdjoint = this.toFields(result.spectrumAdjoint).map((x) => x / grid.points);
    const pulseGradient = this.pulse && inputSpectrumVjp(this.pulse, grid, this.fft, result.spectrumAdjoint);
    return { value: result.value, fieldsAdjoint, pulseGradient, counters: result.counters };
  }

  private setOutput(spectrum: Float64Array): void {
    this.outputSpectrum = spectrum.slice();
    this.outputFields = this.toFields(spectrum);
  }

  private toFields(spectrum: Float64Array): Float64Array {
    const fields = new Float64Array(spectrum.length);
    transformModes(this.fft, 'negative', spectrum, fields);
    return fields;
  }
}

/** The seed's class name: the same Simulation (set config.useCheckpointing). */
export const SimulationCheckpointed = Simulation;
