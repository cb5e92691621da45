import { EntityIdPipe } from '../http/ids';

export const DocumentIdPipe = new EntityIdPipe('Document');
