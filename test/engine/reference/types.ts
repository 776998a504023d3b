// Types of the engine layer: the input state (city config + beads) and the plan it produces.
// Field names follow Gas City's own files and docs/store-format.md exactly.

export type Metadata = Record<string, string>;

/** A bead as stored by Gas City (unknown fields are carried along untouched). */
export interface Bead {
  id: string;
  title?: string;
  status?: string;
  issue_type?: string;
  priority?: number;
  assignee?: string;
  labels?: string[];
  metadata?: Metadata;
  created_at?: string;
  updated_at?: string;
  [extra: string]: unknown;
}

export interface WorkspaceConfig {
  name?: string;
  max_active_sessions?: number | null;
  [extra: string]: unknown;
}

export interface DaemonConfig {
  patrol_interval?: string;
  [extra: string]: unknown;
}

export interface RigConfig {
  name: string;
  max_active_sessions?: number | null;
  suspended?: boolean;
  [extra: string]: unknown;
}

export interface AgentConfig {
  name: string;
  dir?: string;
  max_active_sessions?: number | null;
  min_active_sessions?: number | null;
  scale_check?: string;
  /** Names, already read from the namepool file. `[]` means no namepool. */
  namepool?: string[];
  suspended?: boolean;
  [extra: string]: unknown;
}

export interface NamedSessionConfig {
  template: string;
  /** The reserved identity; defaults to `template` verbatim. */
  identity?: string;
  [extra: string]: unknown;
}

export interface CityConfig {
  workspace?: WorkspaceConfig;
  daemon?: DaemonConfig;
  rigs?: RigConfig[];
  agents: AgentConfig[];
  named_sessions?: NamedSessionConfig[];
  [extra: string]: unknown;
}

/** An operator's decision on a repair, kept beside the store (see issue 5). */
export interface Decision {
  repair: string;
  /** The latest decision on a repair id wins; `reopened` undoes a rejection. */
  decision: 'approved' | 'rejected' | 'reopened';
  changes: Change[];
  by?: string;
  at?: string;
  reason?: string;
  [extra: string]: unknown;
}

/** Everything the engine needs: one immutable snapshot of a city. */
export interface State {
  city: CityConfig;
  beads: Bead[];
  /** Optional override of the computed new demand per qualified template. */
  demand?: Record<string, number>;
  decisions?: Decision[];
}

// ---------------------------------------------------------------- plan

export type RepairKind =
  | 'backfill-template'
  | 'restamp-slot'
  | 'repair-alias'
  | 'clear-conflicting-alias'
  | 'unassign-cross-template-work'
  | 'release-orphaned-work'
  | 'close-duplicate'
  | 'rollback-stale-create';

export type FindingKind =
  | 'duplicate-slot'
  | 'alias-conflict'
  | 'deferred-rollback'
  | 'unresolved-template'
  | 'out-of-bounds-identity'
  | 'unknown-demand'
  | 'unknown-state';

export type Severity = 'action' | 'info';

/** One field change. `field` is `metadata.<key>`, `assignee` or `status`; null means absent. */
export interface Change {
  field: string;
  before: string | null;
  after: string | null;
}

export interface Repair {
  id: string; // `<kind>:<bead id>`
  kind: RepairKind;
  beadId: string;
  template: string | null;
  changes: Change[];
  reason: string;
}

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  beadId?: string;
  workId?: string;
  template?: string;
  message: string;
}

export interface Metrics {
  mismatched_aliases: number;
  alias_conflicts: number;
  duplicate_slots: number;
  cross_template_assignments: number;
  orphaned_work: number;
  out_of_bounds_identities: number;
  stale_creates: number;
  deferred_rollbacks: number;
  unresolved_templates: number;
}

export interface SlotEntry {
  slot: number;
  beadId: string;
  alias: string;
  state: string;
}

export interface PoolPlan {
  template: string;
  bounded: boolean;
  max: number | null;
  min: number;
  desired: number;
  slots: SlotEntry[];
  duplicates: string[];
}

// ------------------------------------------- detail for the console (not part of `check --json`)

export type TemplateSource = 'template' | 'agent_name' | 'label' | 'alias';

/** What the engine concluded about one open session bead. */
export interface BeadInfo {
  id: string;
  template: string | null;
  templateSource: TemplateSource | null;
  poolManaged: boolean;
  named: boolean;
  live: boolean;
  knownState: boolean;
  agentSlot: number;
  aliasSlot: number;
  sessionNameSlot: number;
  /** R2 owned slot; 0 = holds none. */
  ownedSlot: number;
  /** How R2 decided, in words. */
  slotReason: string;
  /** Identity of the owned slot, when ownedSlot > 0. */
  identity: string | null;
  /** Incumbent of the same slot, when this bead is a refused duplicate. */
  duplicateOf: string | null;
  /** Why the incumbent of this bead's slot won (set on incumbents with duplicates and on duplicates). */
  incumbentReason: string | null;
  mismatchedAlias: boolean;
  /** Holder of the wanted alias when it is unavailable. */
  aliasConflictHolder: string | null;
  outOfBounds: boolean;
  inFlight: boolean;
  stale: boolean;
  deferredRollback: boolean;
  stalePoolSlot: boolean;
  templateBackfill: boolean;
  /** Live work beads whose assignee resolves to this bead. */
  liveWork: string[];
}

export type RequestTier = 'resume' | 'new' | 'min';

export interface PoolRequest {
  tier: RequestTier;
  /** The session bead the request would (re)use, when known. */
  beadId: string | null;
  workId: string | null;
  priority: number;
  accepted: boolean;
  /** Why it was refused: 'agent_cap', 'rig_cap', 'workspace_cap'. */
  refusedBy: string | null;
  /** Identical anonymous requests folded into this entry (refused new demand can be large). */
  count: number;
}

export interface TemplateDetail {
  template: string;
  name: string;
  dir: string | null;
  rig: string | null;
  suspended: boolean;
  bounded: boolean;
  /** Caps in force: the agent's own, its rig's and the workspace's (null = no cap). */
  agentMax: number | null;
  rigMax: number | null;
  workspaceMax: number | null;
  namepool: string[];
  min: number;
  demand: number;
  demandSource: 'store' | 'routed-work' | 'scale-check-estimate' | 'suspended';
  inFlight: string[];
  requests: PoolRequest[];
  desired: number;
  /** Open session beads of this template (any kind). */
  live: number;
}

export interface WorkInfo {
  id: string;
  route: string;
  assignee: string;
  /** Session bead the assignee resolves to, if any. */
  sessionId: string | null;
  sessionTemplate: string | null;
  problem: 'cross-template' | 'orphaned' | null;
}

export interface Plan {
  metrics: Metrics;
  repairs: Repair[];
  findings: Finding[];
  pools: PoolPlan[];
  /** Detail for the console; never serialized by `check --json`. */
  detail: {
    beads: Record<string, BeadInfo>;
    templates: TemplateDetail[];
    work: WorkInfo[];
    rollbackBacklog: { stale: number; deferred: number; ticks: number; budget: number };
    /** Repairs withheld because an operator rejected exactly these changes (until the facts change). */
    rejected: { repair: Repair; decision: Decision }[];
  };
}
