// A real OpenSSH server for the SFTP tests: our own sshd (child process) on a free 127.0.0.1 port
// with a generated host key, its own sshd_config and an authorized_keys file holding a generated
// client key, logging in as the user running the tests. It can be stopped and started again on the
// same port and host key (a server restart), and is removed with everything it created.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../hub/source-hub.js';

const SSHD = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((p) => existsSync(p));

export interface Sshd {
  port: number;
  username: string;
  /** The client's private key (OpenSSH format), for `privateKey: file:…`. */
  clientKeyPath: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it (`SHA256:…`). */
  hostFingerprint: string;
  /** A folder for the test's remote files (absolute: no chroot). */
  root: string;
  start(): Promise<void>;
  /** Kills the server and every session it forked (a server going away, not a polite logout). */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (banner) => {
      socket.destroy();
      resolve(banner.toString().startsWith('SSH-'));
    });
    socket.once('error', () => resolve(false));
  });

/** Pids of a process's children, grandchildren…: sshd forks a process per connection, in a session of its own. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = (() => {
      try {
        return readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        return undefined; // exited meanwhile
      }
    })();
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (!Number.isNaN(ppid)) parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const children = parents.get(queue.shift()!) ?? [];
    found.push(...children);
    queue.push(...children);
  }
  return found;
}

export async function startSshd(): Promise<Sshd> {
  if (!SSHD) throw new Error('sshd is not installed: apt-get install -y openssh-server (.ci/run does this)');
  // sshd started by root wants its privilege separation directory.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), 'claimhub-sshd-'));
  const root = join(dir, 'files');
  mkdirSync(root);
  const keygen = (file: string) =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'claimhub-test', '-f', join(dir, file)]);
  keygen('host_key');
  keygen('client_key');
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_key.pub')));
  const hostFingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_key.pub')], { encoding: 'utf8' }).split(
    ' ',
  )[1];
  const port = await freePort();
  const configPath = join(dir, 'sshd_config');
  await writeFile(
    configPath,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${userInfo().username}`,
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const sshd: Sshd = {
    port,
    username: userInfo().username,
    clientKeyPath: join(dir, 'client_key'),
    hostFingerprint,
    root,
    async start() {
      // -D: stays in the foreground as our child.
      child = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      for (let i = 0; i < 100 && !(await answers(port)); i++) {
        if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode}: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!(await answers(port))) throw new Error(`sshd does not answer on ${port}: ${stderr}`);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      const sessions = descendants(running.pid!);
      process.kill(running.pid!, 'SIGKILL');
      for (const pid of sessions) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
    },
    async remove() {
      await sshd.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await sshd.start();
  return sshd;
}
