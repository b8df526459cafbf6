// A typed Communiqué client in TypeScript. The types come from the protos:
// `npm run gen-types` writes them to gen/ (not committed), and the test
// (test.sh) regenerates them and type-checks this file, so a proto change
// that breaks typed callers fails the build.
import * as fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './gen/query_service';
import type { ListSummitsRequest } from './gen/communique/v1/ListSummitsRequest';
import type { ListSummitsResponse__Output } from './gen/communique/v1/ListSummitsResponse';
import type { QueryServiceClient } from './gen/communique/v1/QueryService';
import type { Summit__Output } from './gen/communique/v1/Summit';

// Same loader options as the types were generated with.
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
};

export function queryClient(address: string, caFile: string,
                            protoDir: string): QueryServiceClient {
  const definition = protoLoader.loadSync(
      'communique/v1/query_service.proto',
      {...LOADER_OPTIONS, includeDirs: [protoDir]});
  const proto = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
  return new proto.communique.v1.QueryService(
      address, grpc.credentials.createSsl(fs.readFileSync(caFile)));
}

// Every summit of one organisation, oldest first, following next_page_token.
export async function listAllSummits(client: QueryServiceClient,
                                     organization: string,
                                     consistencyToken = ''): Promise<Summit__Output[]> {
  const summits: Summit__Output[] = [];
  let page_token = '';
  do {
    const request: ListSummitsRequest = {
      filter: { organization },
      page_size: 100,
      page_token,
      order: 'SUMMIT_ORDER_DATE_ASCENDING',
      consistency_token: consistencyToken,
    };
    const page = await new Promise<ListSummitsResponse__Output>((resolve, reject) =>
      client.ListSummits(request, (error, response) =>
        error || !response ? reject(error) : resolve(response)));
    summits.push(...page.summits);
    page_token = page.next_page_token;
  } while (page_token);
  return summits;
}
