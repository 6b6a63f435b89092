import { File } from '@asyncapi/generator-react-sdk';
import { clientFiles } from '../lib/client-source.js';

/** One `<Endpoint>Client.ts` per channel, plus `index.ts`. */
export default function ({ asyncapi, params }) {
  return clientFiles(asyncapi, params).map(({ name, content }) => (
    <File name={name} key={name}>
      {content}
    </File>
  ));
}
