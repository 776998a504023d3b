// R1: the template of a session bead, and the backfill of a missing `template`.
import type { CityModel } from '../model.js';
import { agentLabel } from '../model.js';
import type { Bead, Repair, TemplateSource } from '../types.js';
import { meta, metaBefore, parseSlotNumber, inQuotes } from '../values.js';

export interface ResolvedTemplate {
  template: string | null;
  source: TemplateSource | null;
  /** The identity string that resolved it. */
  evidence: string;
}

/** An identity names a template by: exact name, `<t>-gc-<n>`, `<t>-<n>`, or `[<dir>/]<namepool name>`. */
export function templateOfIdentity(city: CityModel, identity: string): string | null {
  if (!identity) return null;
  if (city.configured.has(identity)) return identity;
  const legacy = /^(.+)-gc-([^-]+)$/.exec(identity);
  if (legacy && city.configured.has(legacy[1]) && parseSlotNumber(legacy[2]) > 0) return legacy[1];
  const plain = /^(.+)-([^-]+)$/.exec(identity);
  if (plain && city.configured.has(plain[1]) && parseSlotNumber(plain[2]) > 0) return plain[1];
  return city.namepoolTemplates.get(identity)?.qualified ?? null;
}

export const TEMPLATE_SOURCES: readonly TemplateSource[] = ['template', 'agent_name', 'label', 'alias'];

/**
 * R1 as numbers, for every open session bead: the index of its template in `city.configuredNames` times 4
 * plus the index of its source in TEMPLATE_SOURCES, or -1 when it does not resolve.
 */
export function resolveTemplateCode(city: CityModel, bead: Bead, stored = meta(bead, 'template')): number {
  if (stored) {
    const i = city.configuredIndex.get(stored);
    if (i !== undefined) return i * 4;
  }
  for (let source = 1; source < 4; source++) {
    const template = templateOfIdentity(city, evidenceOf(bead, source));
    if (template) return city.configuredIndex.get(template)! * 4 + source;
  }
  return -1;
}

function evidenceOf(bead: Bead, source: number): string {
  return source === 0
    ? meta(bead, 'template')
    : source === 1
      ? meta(bead, 'agent_name')
      : source === 2
        ? agentLabel(bead)
        : meta(bead, 'alias');
}

export function resolveTemplate(city: CityModel, bead: Bead): ResolvedTemplate {
  const code = resolveTemplateCode(city, bead);
  if (code < 0) return { template: null, source: null, evidence: '' };
  return { template: city.configuredNames[code >> 2], source: TEMPLATE_SOURCES[code & 3], evidence: evidenceOf(bead, code & 3) };
}

const SOURCE_WORDS: Record<TemplateSource, string> = {
  template: 'template',
  agent_name: 'agent_name',
  label: 'label agent:',
  alias: 'alias',
};

/** `backfill-template` when `template` is absent or empty and the bead resolved otherwise. */
export function backfillTemplate(bead: Bead, resolved: ResolvedTemplate): Repair | null {
  if (meta(bead, 'template') !== '' || !resolved.template || resolved.source === 'template') return null;
  const label =
    resolved.source === 'label' ? `label agent:${resolved.evidence}` : `${SOURCE_WORDS[resolved.source!]} ${inQuotes(resolved.evidence)}`;
  return {
    id: `backfill-template:${bead.id}`,
    kind: 'backfill-template',
    beadId: bead.id,
    template: resolved.template,
    changes: [{ field: 'metadata.template', before: metaBefore(bead, 'template'), after: resolved.template }],
    reason: `template is empty; ${label} resolves to ${resolved.template}`,
  };
}

export function unresolvedMessage(bead: Bead): string {
  const parts: string[] = [];
  const stored = meta(bead, 'template');
  parts.push(stored ? `template ${inQuotes(stored)} is not configured` : 'no template');
  const an = meta(bead, 'agent_name');
  const label = agentLabel(bead);
  const alias = meta(bead, 'alias');
  parts.push(an ? `agent_name ${inQuotes(an)} names no template` : 'no agent_name');
  if (label) parts.push(`label agent:${label} names no template`);
  parts.push(alias ? `alias ${inQuotes(alias)} names no template` : 'no alias');
  return `${parts.join('; ')}: no repair is proposed for this bead`;
}
