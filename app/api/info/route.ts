import { respond } from '../respond';

export const dynamic = 'force-dynamic';

export function GET(): Promise<Response> {
  return respond(async (service) => service.info());
}
