#!/usr/bin/env node
// Communiqué from Node.js: a tour of the API with @grpc/grpc-js, loading
// proto/communique/v1 at run time with @grpc/proto-loader (no generated
// code to keep in sync).
//
// Against a running communique-ingest and communique-query (TLS, a writer
// bearer token), this program:
//   1. shows that a write without a token is refused (UNAUTHENTICATED),
//   2. ingests the first article and reads its own write on the replica
//      with the returned consistency_token,
//   3. opens a WatchSummits stream (when the API has it), ingests the other
//      articles, and prints the summit changes the watch reports,
//   4. lists summits with a filter, pages through every declaration, and
//      gets one initiative.
// Output lines are "key: value ...", the same as the Python and Go examples
// (clients/README.md).
//
//   node example.js --ingest=HOST:PORT --query=HOST:PORT --ca=ca.pem \
//       --token_file=writer.token ARTICLE.txt [ARTICLE.txt...]
'use strict';

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function parseArgs(argv) {
  const flags = {
    ingest: '', query: '', ca: '', token_file: '', server_name: '',
    organization: 'CSTO', page_size: '2', timeout: '15',
    proto_dir: path.join(__dirname, '..', '..', 'proto'),
  };
  const articles = [];
  for (const arg of argv) {
    const m = /^--([a-z_]+)=(.*)$/s.exec(arg);
    if (m && m[1] in flags) flags[m[1]] = m[2];
    else if (arg.startsWith('--')) throw new Error(`unknown flag ${arg}`);
    else articles.push(arg);
  }
  for (const required of ['ingest', 'query', 'ca', 'token_file']) {
    if (!flags[required]) throw new Error(`--${required} is required`);
  }
  if (articles.length === 0) throw new Error('give at least one article file');
  return {...flags, page_size: Number(flags.page_size),
          timeout: Number(flags.timeout), articles};
}

const args = parseArgs(process.argv.slice(2));

const definition = protoLoader.loadSync(
    ['communique/v1/ingest_service.proto', 'communique/v1/query_service.proto'],
    {
      includeDirs: [args.proto_dir],
      keepCase: true,   // snake_case field names, as in the protos
      longs: String,    // uint64 sequences as decimal strings
      enums: String,    // enum values by name
      defaults: true,   // unset fields read as their defaults
      oneofs: true,
    });
const v1 = grpc.loadPackageDefinition(definition).communique.v1;

function readToken(file) {
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const token = line.trim();
    if (token && !token.startsWith('#')) return token;
  }
  throw new Error(`no token in ${file}`);
}

function statusName(code) {
  return Object.keys(grpc.status).find((k) => grpc.status[k] === code) ||
      String(code);
}

function deadline() {
  return new Date(Date.now() + args.timeout * 1000);
}

// Calls a unary method and resolves with its response.
function unary(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, {deadline: deadline()},
                   (err, response) => (err ? reject(err) : resolve(response)));
  });
}

function dateText(date) {
  if (!date || !date.year) return 'unknown';
  let text = String(date.year).padStart(4, '0');
  if (date.month) {
    text += '-' + String(date.month).padStart(2, '0');
    if (date.day) text += '-' + String(date.day).padStart(2, '0');
  }
  return text;
}

async function ingest(stub, file) {
  // A page (.html) goes as the bytes fetched, with their Content-Type; the
  // service converts it and takes title, date, URL and outlet from it.
  const data = fs.readFileSync(file);
  const article = file.endsWith('.html') ?
      {html: data, content_type: 'text/html; charset=utf-8'} :
      {text: data};
  article.external_id = path.basename(file);
  const response = await unary(stub, 'IngestArticle', {
    article,
    request_id: path.basename(file),
  });
  console.log(`ingest: ${response.article} outcome=${response.outcome} ` +
              `token=${response.consistency_token} ` +
              `summits=${response.affected_summits.join(',') || '-'}`);
  return response;
}

// A WatchSummits call whose messages can be awaited one at a time.
class Watch {
  constructor(call) {
    this.call = call;
    this.items = [];
    this.waiters = [];
    const push = (item) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(item); else this.items.push(item);
    };
    call.on('data', (message) => push({message}));
    call.on('error', (error) => push({error}));
    call.on('end', () => push({end: true}));
  }
  // Resolves with {message}, {error}, {end} or {timeout}.
  next(ms) {
    if (this.items.length) return Promise.resolve(this.items.shift());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve({timeout: true});
      }, ms);
      const waiter = (item) => { clearTimeout(timer); resolve(item); };
      this.waiters.push(waiter);
    });
  }
}

async function main() {
  const options = args.server_name ?
      {'grpc.ssl_target_name_override': args.server_name} : {};
  const ssl = grpc.credentials.createSsl(fs.readFileSync(args.ca));
  // The token rides on every call as "authorization: Bearer <token>".
  const token = readToken(args.token_file);
  const writer = grpc.credentials.combineChannelCredentials(
      ssl, grpc.credentials.createFromMetadataGenerator((_params, callback) => {
        const metadata = new grpc.Metadata();
        metadata.add('authorization', `Bearer ${token}`);
        callback(null, metadata);
      }));
  const ingestStub = new v1.IngestService(args.ingest, writer, options);
  const query = new v1.QueryService(args.query, ssl, options);

  // 1. Writes need the writer role.
  const anonymous = new v1.IngestService(args.ingest, ssl, options);
  try {
    await unary(anonymous, 'IngestArticle', {article: {text: Buffer.from('x')}});
    console.log('auth: ingest without token -> OK (unexpected)');
  } catch (e) {
    console.log(`auth: ingest without token -> ${statusName(e.code)}`);
  }
  anonymous.close();

  // 2. Ingest, then read the write back from the replica.
  const first = await ingest(ingestStub, args.articles[0]);
  let consistency = first.consistency_token;
  if (first.affected_summits.length) {
    const summit = await unary(query, 'GetSummit', {
      name: first.affected_summits[0], consistency_token: consistency,
    });
    console.log(`read-your-write: ${summit.name} ` +
                `organization=${summit.organization} date=${dateText(summit.date)} ` +
                `city=${(summit.location && summit.location.city) || '-'} ` +
                `token=${consistency}`);
  } else {
    console.log('read-your-write: no summit affected');
  }

  // 3. Watch summit changes while the other articles go in.
  let watch = null;
  if (typeof query.WatchSummits === 'function') {
    const candidate = new Watch(query.WatchSummits({
      filter: {organization: args.organization},
      consistency_token: consistency,
    }, {deadline: deadline()}));
    const confirmation = await candidate.next(args.timeout * 1000);
    if (confirmation.message) {
      console.log(`watch: started organization=${args.organization} ` +
                  `through=${confirmation.message.through_sequence}`);
      watch = candidate;
    } else if (confirmation.error) {
      console.log(`watch: ${statusName(confirmation.error.code)}`);
    } else {
      console.log('watch: ended at once');
    }
  } else {
    console.log('watch: not in this API version');
  }

  for (const file of args.articles.slice(1)) {
    consistency = (await ingest(ingestStub, file)).consistency_token || consistency;
  }

  if (watch) {
    let changes = 0;
    let through = 0n;
    while (through < BigInt(consistency)) {
      const item = await watch.next(args.timeout * 1000);
      if (!item.message) break;
      for (const change of item.message.changes) {
        changes++;
        console.log(`watch: change seq=${change.sequence} type=${change.type} ` +
                    `summit=${change.name}`);
      }
      through = BigInt(item.message.through_sequence);
    }
    watch.call.cancel();
    console.log(`watch: done changes=${changes} through=${through}`);
  }

  // 4a. Summits of one organisation, oldest first, every page.
  const names = [];
  let pageToken = '';
  let total = null;
  do {
    const page = await unary(query, 'ListSummits', {
      filter: {organization: args.organization}, page_size: 50,
      page_token: pageToken, order: 'SUMMIT_ORDER_DATE_ASCENDING',
      consistency_token: consistency,
    });
    for (const s of page.summits) {
      names.push(s.name);
      console.log(`summit: ${s.name} date=${dateText(s.date)} ` +
                  `city=${(s.location && s.location.city) || '-'} ` +
                  `participants=${s.participants.length}`);
    }
    if (total === null && 'total_size' in page) total = page.total_size;
    pageToken = page.next_page_token;
  } while (pageToken);
  console.log(`summits: organization=${args.organization} count=${names.length}` +
              (total !== null ? ` total_size=${total}` : ''));

  // 4b. Every declaration of every summit, a few per page.
  const seen = [];
  let pages = 0;
  pageToken = '';
  do {
    const page = await unary(query, 'ListDeclarations', {
      parent: 'summits/-', page_size: args.page_size, page_token: pageToken,
      consistency_token: consistency,
    });
    pages++;
    for (const d of page.declarations) seen.push(d.name);
    pageToken = page.next_page_token;
  } while (pageToken);
  console.log(`declarations: count=${seen.length} unique=${new Set(seen).size} ` +
              `pages=${pages} page_size=${args.page_size}`);

  // 4c. One initiative, fetched by name.
  const listed = await unary(query, 'ListInitiatives', {
    parent: 'summits/-', page_size: 1, consistency_token: consistency,
  });
  if (listed.initiatives.length) {
    const initiative = await unary(query, 'GetInitiative', {
      name: listed.initiatives[0].name, consistency_token: consistency,
    });
    console.log(`initiative: ${initiative.name} ` +
                `proposer=${(initiative.proposer && initiative.proposer.country) || '-'} ` +
                `title=${JSON.stringify(initiative.title)}`);
  } else {
    console.log('initiative: none');
  }

  // 4d. A missing resource is NOT_FOUND.
  try {
    await unary(query, 'GetSummit',
                {name: 'summits/no-such-summit', consistency_token: consistency});
    console.log('not-found: OK (unexpected)');
  } catch (e) {
    console.log(`not-found: ${statusName(e.code)}`);
  }

  ingestStub.close();
  query.close();
  console.log('done');
}

main().catch((e) => {
  console.error(`error: ${e.code !== undefined ? statusName(e.code) + ': ' : ''}${e.message}`);
  process.exit(1);
});
