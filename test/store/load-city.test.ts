// Reading a real Gas City city directory into the engine's State.
import { readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCityModel } from '../../src/engine/model.js';
import { loadCity } from '../../src/store/formats/load-city.js';
import { InputError } from '../../src/store/types.js';
import { tempDir, write } from '../support/files.js';

/** The file store as `gc init` writes it: without one (and no provider configured) a city is bd, Gas City's default. */
const EMPTY_STORE = '{"seq":0,"beads":[]}\n';
const SAMPLES = resolve(import.meta.dirname, '../../fixtures/gascity-samples'); // real Gas City files (SOURCES.md there)

/** A file-store city without beads holding these files (paths relative to it). */
function cityWith(files: Record<string, string>): string {
  const dir = tempDir();
  write(join(dir, '.gc', 'beads.json'), EMPTY_STORE);
  for (const [name, text] of Object.entries(files)) write(join(dir, name), text);
  return dir;
}

describe('loadCity', () => {
  it('reads [workspace], [daemon], [[rigs]], [[agent]] and [[named_session]] from city.toml', async () => {
    const dir = tempDir();
    write(join(dir, '.gc', 'beads.json'), EMPTY_STORE);
    write(
      join(dir, 'city.toml'),
      `[workspace]
name = "maintainer-city"
max_active_sessions = 12

[daemon]
patrol_interval = "10s"
max_restarts = 5

[[rigs]]
name = "frontend"
path = "/src/frontend"
max_active_sessions = 6

[[agent]]
name = "worker"
dir = "frontend"
max_active_sessions = 5
min_active_sessions = 1
scale_check = "echo 2"
suspended = true

[[agent]]
name = "mayor"

[[named_session]]
template = "mayor"

[[named_session]]
template = "reviewer"
name = "lead"
dir = "frontend"
`,
    );
    const { state, source, files } = await loadCity(dir);
    expect(source).toEqual({ kind: 'city', dir });
    expect(state.city.workspace).toEqual({ name: 'maintainer-city', max_active_sessions: 12 });
    expect(state.city.daemon).toMatchObject({ patrol_interval: '10s' });
    expect(state.city.rigs).toEqual([{ name: 'frontend', path: '/src/frontend', max_active_sessions: 6 }]);
    expect(state.city.agents).toEqual([
      { name: 'worker', dir: 'frontend', max_active_sessions: 5, min_active_sessions: 1, scale_check: 'echo 2', suspended: true },
      { name: 'mayor' },
    ]);
    expect(state.city.named_sessions).toEqual([
      { template: 'mayor', identity: 'mayor' },
      { template: 'frontend/reviewer', identity: 'frontend/lead', dir: 'frontend' },
    ]);
    // A city without .gc/beads.json is an empty store.
    expect(state.beads).toEqual([]);
    expect(files).toContain(join(dir, '.gc', 'beads.json'));
  });

  it('decodes .gc/beads.json leniently: bd-written metadata values become strings, unknown fields stay', async () => {
    const dir = tempDir();
    write(join(dir, 'city.toml'), '[[agent]]\nname = "w"\n');
    write(
      join(dir, '.gc', 'beads.json'),
      JSON.stringify({
        seq: 3,
        beads: [
          {
            id: 'gc-1',
            title: 't',
            status: 'open',
            issue_type: 'session',
            needs: ['x'],
            metadata: { n: 3, b: true, s: 's', z: null, o: { k: 1 } },
          },
        ],
        deps: [{ issue_id: 'gc-1', depends_on_id: 'gc-2', type: 'blocks' }],
        revisions: { 'gc-1': 4 },
      }),
    );
    const loaded = await loadCity(dir);
    expect(loaded.state.beads[0]).toEqual({
      id: 'gc-1',
      title: 't',
      status: 'open',
      issue_type: 'session',
      needs: ['x'],
      metadata: { n: '3', b: 'true', s: 's', z: '', o: '{"k":1}' },
    });
    expect(loaded.extra).toEqual({ seq: 3, deps: [{ issue_id: 'gc-1', depends_on_id: 'gc-2', type: 'blocks' }], revisions: { 'gc-1': 4 } });
  });

  it('accepts the real sample beads.json as is', async () => {
    const dir = tempDir();
    write(join(dir, 'city.toml'), '[workspace]\nname = "dashport-city"\n');
    write(join(dir, '.gc', 'beads.json'), readFileSync(join(SAMPLES, 'beads.json'), 'utf8'));
    const { state } = await loadCity(dir);
    expect(state.beads.map((b) => b.id)).toEqual([
      'run-anchor',
      'run-anchor.preflight',
      'run-anchor.review',
      'work-1',
      'src-review-1',
      'run-done',
      'run-done.analyze',
      'run-done.approve',
    ]);
    expect(state.beads[1]).toMatchObject({ parent: 'run-anchor', needs: ['run-anchor'], assignee: 'builder' });
  });

  it('reports a bead without an id at its JSON path', async () => {
    const dir = tempDir();
    write(join(dir, 'city.toml'), '');
    write(join(dir, '.gc', 'beads.json'), '{"seq": 0, "beads": [{"id": "a"}, {"title": "no id"}]}');
    await expect(loadCity(dir)).rejects.toThrow(new InputError(join(dir, '.gc', 'beads.json'), 'beads[1].id', 'is required but missing'));
  });

  it("refuses a .gc/beads.json that starts with a byte order mark, as Gas City's json.Unmarshal does; the same bytes as a --beads capture are read", async () => {
    const doc = '{"seq": 1, "beads": [{"id": "gc-1", "title": "t", "status": "open"}]}\n';
    const dir = cityWith({ 'city.toml': '[beads]\nprovider = "file"\n[[agent]]\nname = "w"\n', '.gc/beads.json': `\ufeff${doc}` });
    const file = join(dir, '.gc', 'beads.json');
    await expect(loadCity(dir)).rejects.toThrow(
      `${file}: line 1, column 1: the file starts with a byte order mark (the bytes ef bb bf), which Gas City's Go decoder refuses ` +
        "(invalid character 'ï' looking for beginning of value), so Gas City cannot open this store: remove the mark (save the file as UTF-8 without a BOM)",
    );
    expect(readFileSync(file, 'utf8')).toBe(`\ufeff${doc}`);
    // A capture is bd's or gc's output saved by some tool (Gas City never reads that file): the mark is the tool's.
    const capture = write(join(tempDir(), 'capture.json'), `\ufeff${doc}`);
    expect((await loadCity(dir, [capture])).state.beads.map((b) => b.id)).toEqual(['gc-1']);
    write(file, doc);
    expect((await loadCity(dir)).state.beads.map((b) => b.id)).toEqual(['gc-1']);
  });

  it('expands a rig-scoped named session of pack.toml once per rig', async () => {
    const dir = tempDir();
    write(join(dir, '.gc', 'beads.json'), EMPTY_STORE);
    write(join(dir, 'city.toml'), '[[rigs]]\nname = "a"\n\n[[rigs]]\nname = "b"\n');
    write(join(dir, 'pack.toml'), readFileSync(join(SAMPLES, 'pack.toml'), 'utf8'));
    const { state } = await loadCity(dir);
    expect(state.city.named_sessions!.map((n) => n.identity)).toEqual(['mayor', 'deacon', 'a/committer', 'b/committer']);
  });

  it("puts pack.toml's [[named_session]] before city.toml's, as Gas City composes them: of one identity declared in both, pack.toml's backs it", async () => {
    const dir = cityWith({
      'pack.toml':
        // Schema 1: its city.toml has [[agent]] tables, which a schema-2 city may not.
        '[pack]\nname = "p"\nschema = 1\n\n[[named_session]]\ntemplate = "mayor"\nname = "boss"\n\n[[named_session]]\ntemplate = "deacon"\n',
      'city.toml':
        '[[agent]]\nname = "mayor"\nmax_active_sessions = 1\n\n[[agent]]\nname = "deacon"\nmax_active_sessions = 1\n\n' +
        '[[agent]]\nname = "witness"\nmax_active_sessions = 1\n\n[[named_session]]\ntemplate = "witness"\n\n' +
        '[[named_session]]\ntemplate = "deacon"\nname = "boss"\n',
    });
    const { state } = await loadCity(dir);
    expect(state.city.named_sessions!.map((n) => `${n.identity}=${n.template}`)).toEqual([
      'boss=mayor',
      'deacon=deacon',
      'witness=witness',
      'boss=deacon',
    ]);
    // Work assigned to boss is kept only when routed to the template backing boss (the 2026-08 rule): mayor's.
    expect(buildCityModel(state).namedTemplates.get('boss')).toBe('mayor');
  });

  it('refuses an integer key written as a float (1.0, 1e2), as Gas City refuses it, naming the file and the line; 1 is taken', async () => {
    /** loadCity's refusal of `dir`: `file` (relative), at `place`, the float shown as `shown`. */
    const refusal = (dir: string, file: string, place: string, shown: string) =>
      expect(loadCity(dir)).rejects.toThrow(
        new InputError(
          join(dir, file),
          place,
          `must be an integer ≥ 0, got the float ${shown}: Gas City's TOML decoder puts no float in an integer field ` +
            '(BurntSushi/toml unifyInt) and refuses the file; write it without a fraction or exponent',
        ),
      );
    const agentCity = cityWith({ 'city.toml': '[workspace]\nname = "x"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 1.0\n' });
    await refusal(agentCity, 'city.toml', 'line 6 (agent[0].max_active_sessions)', '1.0');
    const rigCity = cityWith({ 'city.toml': '[[rigs]]\nname = "fe"\nmax_active_sessions = 1e2\n' });
    await refusal(rigCity, 'city.toml', 'line 3 (rigs[0].max_active_sessions)', '100.0');
    const packCity = cityWith({
      'city.toml': '[workspace]\nname = "x"\n',
      'pack.toml': '[pack]\nname = "x"\nschema = 2\n',
      'agents/coder/agent.toml': '# a float elsewhere: 0.5\nmin_active_sessions = 0\nmax_active_sessions = 2.0\n',
    });
    await refusal(packCity, 'agents/coder/agent.toml', 'line 3 (max_active_sessions)', '2.0');
    // In a patch, or a rig's override or patch (an [[array]] under a dotted header, or an inline table), too.
    const patchCity = cityWith({
      'city.toml':
        '[[agent]]\nname = "dog"\n\n[[patches.agent]]\nname = "dog"\n\n[[patches.agent]]\nname = "dog"\nmax_active_sessions = 2.0\n',
    });
    await refusal(patchCity, 'city.toml', 'line 9 (patches.agent[1].max_active_sessions)', '2.0');
    const poolCity = cityWith({ 'city.toml': '[[agent]]\nname = "dog"\n\n[[patches.agent]]\nname = "dog"\npool = { max = 1e1 }\n' });
    await refusal(poolCity, 'city.toml', 'line 6 (patches.agent[0].pool.max)', '10.0');
    const overrideCity = cityWith({
      'city.toml':
        '[[rigs]]\nname = "a"\n\n[[rigs.overrides]]\nagent = "dog"\n\n[[rigs]]\nname = "b"\n\n[[rigs.overrides]]\nagent = "dog"\nmin_active_sessions = 0.5\n\n' +
        '[[rigs]]\nname = "c"\npatches = [{ agent = "dog", pool = { min = 1.0 } }]\n',
    });
    await refusal(overrideCity, 'city.toml', 'line 12 (rigs[1].overrides[0].min_active_sessions)', '0.5');
    // The line of the inline array the key is in.
    write(join(overrideCity, 'city.toml'), '[[rigs]]\nname = "c"\n\npatches = [{ agent = "dog", pool = { min = 1.0 } }]\n');
    await refusal(overrideCity, 'city.toml', 'line 4 (rigs[0].patches[0].pool.min)', '1.0');
    // Written as integers, the same city loads; a float in a key gc-tui does not read as an integer is no concern of this check.
    write(join(packCity, 'agents', 'coder', 'agent.toml'), 'max_active_sessions = 2\nweight = 0.5\n');
    expect((await loadCity(packCity)).state.city.agents[0]).toMatchObject({ name: 'coder', max_active_sessions: 2 });
  });

  it('namepool files: relative to the city root, trimmed, blank and # lines skipped', async () => {
    const dir = tempDir();
    write(join(dir, '.gc', 'beads.json'), EMPTY_STORE);
    write(join(dir, 'city.toml'), '[[agent]]\nname = "polecat"\nmax_active_sessions = 3\nnamepool = "pools/p.txt"\n');
    write(join(dir, 'pools', 'p.txt'), '# names\n\n  furiosa  \r\nnux\n# slit\n\ncapable\n');
    const { state, files } = await loadCity(dir);
    expect(state.city.agents[0].namepool).toEqual(['furiosa', 'nux', 'capable']);
    expect(state.city.agents[0].namepool_file).toBe('pools/p.txt');
    expect(files).toContain(join(dir, 'pools', 'p.txt'));
  });

  it('a namepool file Gas City cannot read: no names, the path kept, a warning, and the file watched for its arrival', async () => {
    const dir = tempDir();
    write(join(dir, '.gc', 'beads.json'), EMPTY_STORE);
    write(join(dir, 'city.toml'), '[[agent]]\nname = "polecat"\ndir = "gt"\nmax_active_sessions = 3\nnamepool = "pools/p.txt"\n');
    const loaded = await loadCity(dir);
    expect(loaded.state.city.agents[0]).toMatchObject({ namepool: [], namepool_file: 'pools/p.txt' });
    expect(loaded.files).toContain(join(dir, 'pools', 'p.txt'));
    expect(loaded.warnings).toEqual([
      {
        text:
          `${join(dir, 'city.toml')}: line 5 (agent[0].namepool): namepool file "pools/p.txt" (${join(dir, 'pools', 'p.txt')}): no such file; ` +
          "Gas City goes on without it and says nothing: gt/polecat's sessions take numbered names (gt/polecat-1, gt/polecat-2, …), and this plan does the same",
        brief: 'namepool "pools/p.txt" of gt/polecat: no such file — Gas City (and this plan) uses gt/polecat-1, -2, …',
      },
    ]);
    // A readable city has none.
    write(join(dir, 'pools', 'p.txt'), 'furiosa\n');
    expect((await loadCity(dir)).warnings).toBeUndefined();
  });

  describe('one agent declared in two places: city.toml wins over pack.toml, which wins over agents/<name>/ (compose.go skipNames)', () => {
    it('keeps the winner, in Gas City order (pack.toml, agents/, city.toml), and says which declaration is ignored', async () => {
      const dir = cityWith({
        'city.toml': '[[agent]]\nname = "worker"\ndir = "fe"\nmax_active_sessions = 2\n',
        'pack.toml':
          // Schema 1: a schema-2 city has no [[agent]] tables in city.toml (Gas City refuses it).
          '[pack]\nname = "p"\nschema = 1\n\n[[agent]]\nname = "coder"\nmax_active_sessions = 3\n\n[[agent]]\nname = "worker"\ndir = "be"\nmax_active_sessions = 9\n',
        // Gas City never reads a skipped agent.toml: one that is not even TOML does no harm.
        'agents/worker/agent.toml': 'max_active_sessions = = 5\n',
        'agents/coder/agent.toml': 'max_active_sessions = 7\n',
        'agents/solo/agent.toml': 'max_active_sessions = 1\n',
      });
      const loaded = await loadCity(dir);
      expect(loaded.state.city.agents).toEqual([
        { name: 'coder', max_active_sessions: 3 },
        { name: 'solo', max_active_sessions: 1 },
        { name: 'worker', dir: 'fe', max_active_sessions: 2 },
      ]);
      const [city, pack] = [join(dir, 'city.toml'), join(dir, 'pack.toml')];
      const ignored = 'Gas City runs that one and ignores this one without a word, and so does this plan';
      expect(loaded.warnings!.map((w) => w.text)).toEqual([
        `${pack}: line 9 (agent[1]): agent "worker" is also declared in ${city} at line 1 (agent[0]); ${ignored}`,
        `${join(dir, 'agents', 'coder', 'agent.toml')}: (top level): agent "coder" is also declared in ${pack} at line 5 (agent[0]); ${ignored}`,
        `${join(dir, 'agents', 'worker', 'agent.toml')}: (top level): agent "worker" is also declared in ${city} at line 1 (agent[0]); ${ignored}`,
      ]);
      expect(loaded.warnings![0].brief).toBe(`agent "worker": ${pack} is ignored, ${city} declares it (as in Gas City)`);
    });

    it('twice in one file is still refused, as Gas City refuses it (ValidateAgents: duplicate name)', async () => {
      const dir = cityWith({
        'city.toml': '[workspace]\nname = "x"\n',
        'pack.toml': '[pack]\nname = "x"\nschema = 2\n\n[[agent]]\nname = "a"\n\n[[agent]]\nname = "a"\n',
      });
      await expect(loadCity(dir)).rejects.toThrow(
        `${join(dir, 'pack.toml')}: line 8 (agent[1]): duplicate template "a" (first declared in ${join(dir, 'pack.toml')} at line 5 (agent[0]))`,
      );
    });
  });

  it('agents/<name>/namepool.txt is the namepool of every agent of that name without one, wherever declared (applyAgentConventionDefaults)', async () => {
    // No pack.toml: Gas City reads no agents/ folder as an agent then, but still gives its namepool.txt to city.toml's.
    const dir = cityWith({
      'city.toml':
        '[[agent]]\nname = "polecat"\ndir = "gt"\nmax_active_sessions = 3\n\n[[agent]]\nname = "dog"\nnamepool = ""\n\n[[agent]]\nname = "cat"\nnamepool = "pools/cats.txt"\n\n[[agent]]\nname = "ghost"\n',
      'agents/polecat/namepool.txt': 'furiosa\nnux\n',
      'agents/dog/namepool.txt': 'rex\n',
      'agents/cat/namepool.txt': 'unused\n',
      'pools/cats.txt': 'tom\n',
      'agents/ghost/namepool.txt/x': '', // a directory: Gas City names it, cannot read it
    });
    const loaded = await loadCity(dir);
    expect(loaded.state.city.agents).toEqual([
      { name: 'polecat', dir: 'gt', max_active_sessions: 3, namepool: ['furiosa', 'nux'], namepool_file: 'agents/polecat/namepool.txt' },
      { name: 'dog', namepool: ['rex'], namepool_file: 'agents/dog/namepool.txt' },
      { name: 'cat', namepool: ['tom'], namepool_file: 'pools/cats.txt' },
      { name: 'ghost', namepool: [], namepool_file: 'agents/ghost/namepool.txt' },
    ]);
    expect(loaded.files).toContain(join(dir, 'agents', 'polecat', 'namepool.txt'));
    expect(loaded.warnings!.map((w) => w.text)).toEqual([
      `${join(dir, 'city.toml')}: line 14 (agent[3]), without a namepool of its own: agents/ghost/namepool.txt by convention: ` +
        `namepool file "agents/ghost/namepool.txt" (${join(dir, 'agents', 'ghost', 'namepool.txt')}): is a directory, not a file; ` +
        "Gas City goes on without it and says nothing: ghost's sessions take numbered names (ghost-1, ghost-2, …), and this plan does the same",
    ]);
  });

  it('a pack.toml agent takes agents/<name>/namepool.txt too', async () => {
    const dir = cityWith({
      'city.toml': '[workspace]\nname = "x"\n',
      'pack.toml': '[pack]\nname = "x"\nschema = 2\n\n[[agent]]\nname = "coder"\nmax_active_sessions = 2\n',
      'agents/coder/namepool.txt': '# coders\nada\ngrace\n',
    });
    const { state } = await loadCity(dir);
    expect(state.city.agents).toEqual([
      { name: 'coder', max_active_sessions: 2, namepool: ['ada', 'grace'], namepool_file: 'agents/coder/namepool.txt' },
    ]);
  });

  describe("which agents/ folders are agents (DiscoverPackAgents with pack.toml; the contract's agent.toml files without)", () => {
    it('with pack.toml: every folder, agent.toml or not, save those starting with . or _ and links', async () => {
      const outside = tempDir();
      write(join(outside, 'agent.toml'), 'max_active_sessions = 2\n');
      const dir = cityWith({
        'city.toml': '',
        '.gc/site.toml': 'workspace_name = "x"\n',
        'pack.toml': '[pack]\nname = "x"\nschema = 2\n',
        'agents/mayor/prompt.md': 'You are the mayor.\n',
        'agents/coder/agent.toml': 'max_active_sessions = 4\n',
        'agents/coder/namepool.txt': 'ada\n',
        'agents/.draft/agent.toml': 'max_active_sessions = 1\n',
        'agents/_shared/agent.toml': 'max_active_sessions = 1\n',
        'agents/README.md': 'not a folder\n',
      });
      symlinkSync(outside, join(dir, 'agents', 'spy'));
      const loaded = await loadCity(dir);
      expect(loaded.state.city.agents).toEqual([
        { name: 'coder', max_active_sessions: 4, namepool: ['ada'], namepool_file: 'agents/coder/namepool.txt' },
        { name: 'mayor' },
      ]);
      expect(loaded.warnings!.map((w) => w.text)).toEqual([
        `${join(dir, 'agents', 'spy')}: a symbolic link, which Gas City does not count as an agent folder (os.ReadDir sees a link): it runs no agent of it, and this plan has none`,
      ]);
    });

    it("without pack.toml: each folder with an agent.toml is an agent (the contract's layout), warned of, since Gas City reads none", async () => {
      const dir = cityWith({
        'city.toml': '[[agent]]\nname = "mayor"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 1\n',
        'agents/coder/agent.toml': 'max_active_sessions = 4\n',
        'agents/coder/namepool.txt': 'ada\ngrace\n',
        'agents/worker/agent.toml': 'max_active_sessions = 5\n',
        'agents/helper/prompt.md': 'Help.\n',
        'agents/_shared/agent.toml': 'max_active_sessions = 1\n',
      });
      const loaded = await loadCity(dir);
      expect(loaded.state.city.agents).toEqual([
        { name: 'coder', max_active_sessions: 4, namepool: ['ada', 'grace'], namepool_file: 'agents/coder/namepool.txt' },
        { name: 'mayor' },
        { name: 'worker', max_active_sessions: 1 },
      ]);
      expect(loaded.warnings!.map((w) => w.text)).toEqual([
        `${join(dir, 'agents', 'coder', 'agent.toml')}: this plan has agent "coder" of it, but Gas City itself reads agents/ only in a city with a pack.toml, and this one has none: Gas City may not run agent "coder"`,
        `${join(dir, 'agents', 'worker', 'agent.toml')}: (top level): agent "worker" is also declared in ${join(dir, 'city.toml')} at line 4 (agent[1]); ` +
          'Gas City runs that one and ignores this one without a word, and so does this plan',
      ]);
    });
  });

  it('a bad value in agents/<name>/agent.toml names its line, as in city.toml', async () => {
    const dir = cityWith({
      'city.toml': '[workspace]\nname = "x"\n',
      'pack.toml': '[pack]\nname = "x"\nschema = 2\n',
      'agents/coder/agent.toml': '# coder\nmin_active_sessions = 1\nmax_active_sessions = -1\n',
    });
    await expect(loadCity(dir)).rejects.toThrow(
      `${join(dir, 'agents', 'coder', 'agent.toml')}: line 3 (max_active_sessions): must be an integer ≥ 0, got number -1`,
    );
  });
});

describe('integers and floats in a city TOML file (smol-toml tells 2 from 2.0, as Go does)', () => {
  it('a cap past 2^53 is valid TOML, refused as too large for a cap, naming file, line and key', async () => {
    const dir = cityWith({ 'city.toml': '[[agent]]\nname = "a"\nmax_active_sessions = 9223372036854775807\n' });
    await expect(loadCity(dir)).rejects.toThrow(
      `${join(dir, 'city.toml')}: line 3 (agent[0].max_active_sessions): must be an integer ≥ 0, got 9223372036854775807: too large for a cap (at most 9007199254740991)`,
    );
  });

  it('integers elsewhere stay numbers, 2^53 - 1 and floats included; one past it is refused by name', async () => {
    const dir = cityWith({
      'city.toml': '[workspace]\nname = "x"\nmax_active_sessions = 9007199254740991\n\n[daemon]\nmax_restarts = 5\nratio = 0.5\n',
    });
    const { state } = await loadCity(dir);
    expect(state.city.workspace).toEqual({ name: 'x', max_active_sessions: 9007199254740991 });
    expect(state.city.daemon).toMatchObject({ max_restarts: 5, ratio: 0.5 });
    write(join(dir, 'city.toml'), '[daemon]\nmax_restarts = 9007199254740992\n');
    await expect(loadCity(dir)).rejects.toThrow(
      `${join(dir, 'city.toml')}: line 2 (daemon.max_restarts): the integer 9007199254740992 is too large for gc-tui to read exactly (at most ±9007199254740991)`,
    );
  });
});

describe('tables nested deeper than 1000 levels (a dotted key or a [header] of that many parts): refused, naming the file and the line', () => {
  const deep = (n: number, part = 'a') => Array(n).fill(part).join('.');
  const TOO_DEEP = 'nesting deeper than 1000 levels of tables and arrays';

  it('in city.toml: a dotted key, a [table] header, an [[array]] header with a quoted dotted key under it', async () => {
    const head = '[workspace]\nname = "d"\n\n[beads]\nprovider = "file"\n';
    const cases: [string, number][] = [
      [`${head}${deep(5000)} = 1\n`, 6],
      [`${head}[${deep(5000)}]\nx = 1\n`, 6],
      [`${head}[[${deep(600)}]]\nname = "x"\n${deep(600, '"b.c"')} = 1\n`, 8],
      [`${head}x = ${'['.repeat(999)}${']'.repeat(999)}\n`, 6],
    ];
    for (const [text, line] of cases) {
      const dir = cityWith({ 'city.toml': text });
      await expect(loadCity(dir)).rejects.toThrow(new InputError(join(dir, 'city.toml'), `line ${line}`, TOO_DEEP));
    }
    // 1000 levels, the document's own counted (as in JSON): read.
    const { state } = await loadCity(cityWith({ 'city.toml': `${deep(999)} = 1\n${head}` }));
    expect(state.city.workspace?.name).toBe('d');
  });

  it('in agents/<name>/agent.toml and pack.toml', async () => {
    const agent = cityWith({ 'city.toml': '[workspace]\nname = "d"\n', 'agents/w/agent.toml': `# w\n${deep(5000)} = 1\n` });
    await expect(loadCity(agent)).rejects.toThrow(new InputError(join(agent, 'agents', 'w', 'agent.toml'), 'line 2', TOO_DEEP));
    const pack = cityWith({
      'city.toml': '[workspace]\nname = "d"\n',
      'pack.toml': `[pack]\nname = "p"\nschema = 2\n[${deep(3000, 'z')}]\n`,
    });
    await expect(loadCity(pack)).rejects.toThrow(new InputError(join(pack, 'pack.toml'), 'line 4', TOO_DEEP));
  });
});
