
    const schema = {
  "asyncapi": "3.0.0",
  "id": "urn:dev:tidewire:protocol",
  "info": {
    "title": "Tidewire",
    "version": "1.0.0",
    "description": "One WebSocket protocol for campaign, chat and market endpoints. The normative text, with every requirement ID, is docs/protocol.md; this document describes the channels and messages for people and generators.\n\nOperations are described from the client side: `receive` for server→client messages, `send` for client→server messages.",
    "license": {
      "name": "MIT",
      "url": "https://opensource.org/licenses/MIT"
    },
    "contact": {
      "name": "Tidewire maintainers",
      "url": "https://tidewire.dev"
    },
    "tags": [
      {
        "name": "campaign",
        "description": "Progress of message-sending campaigns (source 001 in docs/protocol.md)."
      },
      {
        "name": "chat",
        "description": "Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003)."
      },
      {
        "name": "market",
        "description": "Market data: system status, prices, news, sentiment and model status (source 004)."
      },
      {
        "name": "socket.io",
        "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
      }
    ],
    "externalDocs": {
      "description": "Normative protocol text",
      "url": "https://tidewire.dev/docs/protocol"
    }
  },
  "defaultContentType": "application/json",
  "servers": {
    "reference": {
      "host": "localhost:3000",
      "protocol": "ws",
      "title": "Reference server",
      "description": "The bundled reference server (`npm start`), with simulated sources.",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the `Authorization: Bearer <token>` header of the upgrade request. Preferred."
        },
        {
          "type": "httpApiKey",
          "name": "token",
          "in": "query",
          "description": "JWT in the `token` query parameter, for browsers (which cannot set headers on a WebSocket) and the original clients. Weaker: URLs end up in server, proxy and browser logs."
        },
        {
          "type": "httpApiKey",
          "name": "Sec-WebSocket-Protocol",
          "in": "header",
          "description": "JWT carried as a `bearer.<base64url(token)>` entry of the offered subprotocols (browsers can set this header). The server never selects that entry ([AUTH-005](protocol.html#AUTH-005)). AsyncAPI has no WebSocket-subprotocol scheme; `httpApiKey` in the header that carries it is the closest."
        }
      ]
    },
    "production": {
      "host": "tidewire.example.com",
      "protocol": "wss",
      "title": "Production (placeholder)",
      "description": "A deployed server; replace the host. Production deployments use TLS.",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the `Authorization: Bearer <token>` header of the upgrade request. Preferred."
        },
        {
          "type": "httpApiKey",
          "name": "token",
          "in": "query",
          "description": "JWT in the `token` query parameter, for browsers (which cannot set headers on a WebSocket) and the original clients. Weaker: URLs end up in server, proxy and browser logs."
        },
        {
          "type": "httpApiKey",
          "name": "Sec-WebSocket-Protocol",
          "in": "header",
          "description": "JWT carried as a `bearer.<base64url(token)>` entry of the offered subprotocols (browsers can set this header). The server never selects that entry ([AUTH-005](protocol.html#AUTH-005)). AsyncAPI has no WebSocket-subprotocol scheme; `httpApiKey` in the header that carries it is the closest."
        }
      ]
    },
    "referenceSocketIo": {
      "host": "localhost:3000",
      "pathname": "/socket.io/",
      "protocol": "socket.io",
      "protocolVersion": "5",
      "title": "Reference server, Socket.IO binding",
      "description": "The Socket.IO binding of the bundled reference server (Engine.IO 4, Socket.IO 5), on the port of its WebSocket endpoints, with the polling and websocket transports.",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the data of the Socket.IO CONNECT packet, `{\"token\": \"<JWT>\"}` (socket.io-client's `auth: {token}`), or in the `Authorization: Bearer` header of the Engine.IO handshake request. A CONNECT without a token is accepted for the user of its Engine.IO connection when another namespace of that connection presented one ([SIO-007](protocol.html#SIO-007))."
        }
      ]
    },
    "productionSocketIo": {
      "host": "tidewire.example.com",
      "pathname": "/socket.io/",
      "protocol": "socket.io",
      "protocolVersion": "5",
      "title": "Production (placeholder), Socket.IO binding",
      "description": "A deployed server's Socket.IO binding; replace the host. Production deployments use TLS (https and wss).",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the data of the Socket.IO CONNECT packet, `{\"token\": \"<JWT>\"}` (socket.io-client's `auth: {token}`), or in the `Authorization: Bearer` header of the Engine.IO handshake request. A CONNECT without a token is accepted for the user of its Engine.IO connection when another namespace of that connection presented one ([SIO-007](protocol.html#SIO-007))."
        }
      ]
    }
  },
  "channels": {
    "socketio_projects": {
      "address": "/projects",
      "title": "Socket.IO /projects",
      "summary": "Socket.IO binding: namespace /projects",
      "description": "The events of `/ws/projects/` over Socket.IO (docs/protocol.md, section 14a). CONNECT with `{token}` (socket.io-client's `auth`); a missing, invalid or expired token gets CONNECT_ERROR whose `data` is an `authentication_error`. Data events carry the WebSocket messages and their offset; a CONNECT with `{pid, offset}` recovers a dropped session.",
      "servers": [
        "$ref:$.servers.referenceSocketIo",
        "$ref:$.servers.productionSocketIo"
      ],
      "messages": {
        "ConnectionEstablished": {
          "name": "connection:established",
          "title": "connection:established",
          "summary": "Emitted right after CONNECT: the session, the protocol version and the timers and limits ([SIO-003](protocol.html#SIO-003)).",
          "description": "Server event, no offset. Its payload is the WebSocket binding's `connection_established` message, with `namespace` instead of `endpoint`, `rateLimit.per: \"user\"` and `resumed: true` after a recovery.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/connection_established.json",
            "title": "ConnectionEstablished",
            "description": "First message on every connection ([HS-002](protocol.html#HS-002)): the session, the protocol version and the timers and limits the server applies.",
            "type": "object",
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "connection_established",
                "x-parser-schema-id": "<anonymous-schema-1>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "message": {
                "type": "string",
                "x-parser-schema-id": "<anonymous-schema-2>"
              },
              "sessionId": {
                "type": "string",
                "minLength": 1,
                "x-parser-schema-id": "<anonymous-schema-3>"
              },
              "protocolVersion": {
                "type": "string",
                "x-parser-schema-id": "<anonymous-schema-4>"
              },
              "endpoint": {
                "type": "string",
                "description": "Endpoint name from the catalogue, e.g. `campaigns`.",
                "x-parser-schema-id": "<anonymous-schema-5>"
              },
              "heartbeatIntervalMs": {
                "type": "integer",
                "minimum": 1,
                "x-parser-schema-id": "<anonymous-schema-6>"
              },
              "heartbeatTimeoutMs": {
                "type": "integer",
                "minimum": 1,
                "x-parser-schema-id": "<anonymous-schema-7>"
              },
              "resumeWindowMs": {
                "type": "integer",
                "minimum": 0,
                "x-parser-schema-id": "<anonymous-schema-8>"
              },
              "maxMessageBytes": {
                "type": "integer",
                "minimum": 1,
                "x-parser-schema-id": "<anonymous-schema-9>"
              },
              "rateLimit": {
                "type": "object",
                "required": [
                  "maxMessages",
                  "windowMs"
                ],
                "properties": {
                  "maxMessages": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-11>"
                  },
                  "windowMs": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-12>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-10>"
              },
              "auth": {
                "type": "object",
                "required": [
                  "mode"
                ],
                "properties": {
                  "mode": {
                    "type": "string",
                    "enum": [
                      "required",
                      "optional"
                    ],
                    "x-parser-schema-id": "<anonymous-schema-14>"
                  },
                  "userId": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "x-parser-schema-id": "<anonymous-schema-15>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-13>"
              },
              "resumed": {
                "type": "boolean",
                "description": "True when this connection resumed an earlier session.",
                "x-parser-schema-id": "<anonymous-schema-16>"
              },
              "profiles": {
                "type": "array",
                "items": {
                  "type": "string",
                  "x-parser-schema-id": "<anonymous-schema-18>"
                },
                "description": "The profiles the server offers ([SRC-004](protocol.html#SRC-004)), e.g. `pilito`: each is the set of endpoints of one source system.",
                "x-parser-schema-id": "<anonymous-schema-17>"
              },
              "maxMessageDepth": {
                "type": "integer",
                "minimum": 1,
                "description": "Deepest nesting of arrays and objects accepted in a client message ([ERR-011](protocol.html#ERR-011)).",
                "x-parser-schema-id": "<anonymous-schema-19>"
              },
              "maxMessageItems": {
                "type": "integer",
                "minimum": 1,
                "description": "Most array elements and object members, over the whole message, accepted in a client message ([ERR-011](protocol.html#ERR-011)).",
                "x-parser-schema-id": "<anonymous-schema-20>"
              },
              "userRateLimit": {
                "type": "object",
                "description": "Client messages of all connections of one user together (without a token: of one client address) per window ([RL-009](protocol.html#RL-009)).",
                "required": [
                  "maxMessages",
                  "windowMs"
                ],
                "properties": {
                  "maxMessages": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-22>"
                  },
                  "windowMs": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-23>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-21>"
              },
              "connectionLimits": {
                "type": "object",
                "description": "Open connections allowed per user ([SEC-004](protocol.html#SEC-004)), per client address ([SEC-005](protocol.html#SEC-005)) and in total ([SEC-006](protocol.html#SEC-006)).",
                "properties": {
                  "perUser": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-25>"
                  },
                  "perAddress": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-26>"
                  },
                  "total": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-27>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-24>"
              },
              "instanceId": {
                "type": "string",
                "minLength": 1,
                "description": "Which instance of a deployment of several accepted the connection: the same on all of its connections, different on every other instance ([CLU-001](protocol.html#CLU-001)).",
                "x-parser-schema-id": "<anonymous-schema-28>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "connection_established",
                "message": "✅ WebSocket connected successfully",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "sessionId": "s_4f9c2a7d1e",
                "protocolVersion": "1.0",
                "endpoint": "conversations",
                "heartbeatIntervalMs": 30000,
                "heartbeatTimeoutMs": 10000,
                "resumeWindowMs": 120000,
                "maxMessageBytes": 65536,
                "rateLimit": {
                  "maxMessages": 100,
                  "windowMs": 60000
                },
                "auth": {
                  "mode": "optional",
                  "userId": "1"
                },
                "profiles": [
                  "campaign-sender",
                  "pilito",
                  "depth",
                  "market-data"
                ]
              }
            ]
          },
          "examples": [
            {
              "name": "connection_established",
              "payload": {
                "type": "connection_established",
                "message": "✅ Socket.IO connected successfully",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "sessionId": "b7a4c1e2-5f0d-4c3b-9a8e-2d6f1e0c9b7a",
                "protocolVersion": "1.0",
                "namespace": "/chat",
                "heartbeatIntervalMs": 30000,
                "heartbeatTimeoutMs": 10000,
                "resumeWindowMs": 120000,
                "maxMessageBytes": 65536,
                "rateLimit": {
                  "maxMessages": 100,
                  "windowMs": 60000,
                  "per": "user"
                },
                "auth": {
                  "mode": "required",
                  "userId": "2"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ConnectionEstablished"
        },
        "Error": {
          "name": "error",
          "title": "error",
          "summary": "Source 002's error event: answers a refused client event that was emitted without a callback ([SIO-014](protocol.html#SIO-014), [SIO-015](protocol.html#SIO-015), [SIO-016](protocol.html#SIO-016)).",
          "description": "Server event, no offset. Its payload is the `error` member of the WebSocket binding's `error` message, with `event` (the refused event) and `timestamp` added; `code` is a code of section 8, or source 002's `SOCKET_ERROR`.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../common/error-object.json",
            "title": "ErrorInfo",
            "description": "The `error` member of an `error` message. `code` is an upper-snake-case string; the known codes are listed in docs/protocol.md (\"Errors\"), others (such as the legacy `SOCKET_ERROR`) are allowed.",
            "type": "object",
            "required": [
              "code",
              "message"
            ],
            "properties": {
              "code": {
                "type": "string",
                "pattern": "^[A-Z][A-Z0-9_]*$",
                "description": "Stable error code.",
                "x-parser-schema-id": "<anonymous-schema-29>"
              },
              "message": {
                "type": "string",
                "description": "Human-readable explanation.",
                "x-parser-schema-id": "<anonymous-schema-30>"
              },
              "details": {
                "description": "Any JSON value. For INVALID_MESSAGE an object `{path, errors}` whose `path` is the JSON Pointer of the failing value (`/` for the root).",
                "x-parser-schema-id": "<anonymous-schema-31>"
              },
              "retryAfterMs": {
                "type": "integer",
                "minimum": 0,
                "description": "Milliseconds to wait before retrying (RATE_LIMITED).",
                "x-parser-schema-id": "<anonymous-schema-32>"
              },
              "closeCode": {
                "type": "integer",
                "minimum": 4000,
                "maximum": 4999,
                "description": "Present when the server closes the connection right after this message, with this code ([CL-001](protocol.html#CL-001)).",
                "x-parser-schema-id": "<anonymous-schema-33>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "code": "INVALID_MESSAGE",
                "message": "must be integer",
                "details": {
                  "path": "/conversationId",
                  "errors": []
                }
              },
              {
                "code": "RATE_LIMITED",
                "message": "Too many messages",
                "retryAfterMs": 12000
              }
            ]
          },
          "examples": [
            {
              "name": "error",
              "payload": {
                "code": "INVALID_MESSAGE",
                "message": "/projectId: must be integer",
                "details": {
                  "path": "/projectId",
                  "errors": [
                    {
                      "path": "/projectId",
                      "message": "must be integer"
                    }
                  ]
                },
                "event": "project:join",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "Error"
        },
        "Ack": {
          "name": "ack",
          "title": "acknowledgement (ack)",
          "summary": "The argument of an acknowledgement callback when the event succeeded: the WebSocket binding's `ack` message ([SIO-013](protocol.html#SIO-013)).",
          "description": "`id` is the Socket.IO packet's acknowledgement id; `data` is the result of the event, as `ack.data` of its WebSocket message. Not an event: it travels in an ACK packet.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/ack.json",
            "title": "Ack",
            "description": "Positive answer to a client message that carried an `id` ([ACK-001](protocol.html#ACK-001)).",
            "type": "object",
            "required": [
              "type",
              "id",
              "ok"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "ack",
                "x-parser-schema-id": "<anonymous-schema-34>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "id": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/request-id.json",
                "title": "RequestId",
                "description": "Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it ([ACK-001](protocol.html#ACK-001)); a `ping` with an id is answered by a `pong` carrying it instead.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "maxLength": 128,
                "examples": [
                  "req-1",
                  7
                ]
              },
              "ok": {
                "type": "boolean",
                "const": true,
                "x-parser-schema-id": "<anonymous-schema-35>"
              },
              "data": {
                "description": "Request-specific result.",
                "x-parser-schema-id": "<anonymous-schema-36>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "ack",
                "id": "req-1",
                "ok": true,
                "timestamp": "2026-01-15T10:30:00.000Z",
                "data": {
                  "messageId": "m-101"
                }
              }
            ]
          },
          "examples": [
            {
              "name": "ack",
              "payload": {
                "type": "ack",
                "id": 0,
                "ok": true,
                "data": {
                  "messageId": 101
                },
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "Ack"
        },
        "AckError": {
          "name": "error",
          "title": "acknowledgement (error)",
          "summary": "The argument of an acknowledgement callback when the event was refused: the WebSocket binding's `error` message ([SIO-013](protocol.html#SIO-013)).",
          "description": "source 002's `response.error ? reject(response.error) : resolve(response.data)` rejects with its `error`. Not an event: it travels in an ACK packet.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/error.json",
            "title": "ServerError",
            "description": "An error. Answers a bad client message (the connection stays open) or precedes a 4xxx close, then `error.closeCode` names the code.",
            "type": "object",
            "required": [
              "type",
              "error"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "error",
                "x-parser-schema-id": "<anonymous-schema-37>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "id": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/request-id.json",
                "title": "RequestId",
                "description": "Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it ([ACK-001](protocol.html#ACK-001)); a `ping` with an id is answered by a `pong` carrying it instead.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "maxLength": 128,
                "examples": [
                  "req-1",
                  7
                ]
              },
              "error": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/error-object.json",
                "title": "ErrorInfo",
                "description": "The `error` member of an `error` message. `code` is an upper-snake-case string; the known codes are listed in docs/protocol.md (\"Errors\"), others (such as the legacy `SOCKET_ERROR`) are allowed.",
                "type": "object",
                "required": [
                  "code",
                  "message"
                ],
                "properties": {
                  "code": {
                    "type": "string",
                    "pattern": "^[A-Z][A-Z0-9_]*$",
                    "description": "Stable error code.",
                    "x-parser-schema-id": "<anonymous-schema-38>"
                  },
                  "message": {
                    "type": "string",
                    "description": "Human-readable explanation.",
                    "x-parser-schema-id": "<anonymous-schema-39>"
                  },
                  "details": {
                    "description": "Any JSON value. For INVALID_MESSAGE an object `{path, errors}` whose `path` is the JSON Pointer of the failing value (`/` for the root).",
                    "x-parser-schema-id": "<anonymous-schema-40>"
                  },
                  "retryAfterMs": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Milliseconds to wait before retrying (RATE_LIMITED).",
                    "x-parser-schema-id": "<anonymous-schema-41>"
                  },
                  "closeCode": {
                    "type": "integer",
                    "minimum": 4000,
                    "maximum": 4999,
                    "description": "Present when the server closes the connection right after this message, with this code ([CL-001](protocol.html#CL-001)).",
                    "x-parser-schema-id": "<anonymous-schema-42>"
                  }
                },
                "additionalProperties": true,
                "examples": [
                  {
                    "code": "INVALID_MESSAGE",
                    "message": "must be integer",
                    "details": {
                      "path": "/conversationId",
                      "errors": []
                    }
                  },
                  {
                    "code": "RATE_LIMITED",
                    "message": "Too many messages",
                    "retryAfterMs": 12000
                  }
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "error",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "id": "req-3",
                "error": {
                  "code": "INVALID_MESSAGE",
                  "message": "must be integer",
                  "details": {
                    "path": "/conversationId",
                    "errors": []
                  }
                }
              },
              {
                "type": "error",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "error": {
                  "code": "BAD_REQUEST",
                  "message": "campaignId must be a positive integer",
                  "closeCode": 4400
                }
              }
            ]
          },
          "examples": [
            {
              "name": "error",
              "payload": {
                "type": "error",
                "id": 1,
                "error": {
                  "code": "FORBIDDEN",
                  "message": "conversation 13 belongs to another user"
                },
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "AckError"
        },
        "ServerProjectJoined": {
          "name": "project:joined",
          "title": "project:joined",
          "summary": "Confirms that the receiver joined a project room.",
          "description": "Server data event carrying the WebSocket binding's `project_joined` message (the same schema), then its offset (the message's `seq` as a string).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/project_joined.json",
            "title": "ProjectJoined",
            "description": "Confirms that the receiver joined a project room. A data message: carries `seq` and is replayed on resume.",
            "type": "object",
            "required": [
              "type",
              "projectId"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "project_joined",
                "x-parser-schema-id": "<anonymous-schema-43>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "seq": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/seq.json",
                "title": "Seq",
                "description": "Sequence number of a server data message: starts at 1 and grows by exactly 1 per session ([ENV-004](protocol.html#ENV-004)); the resume cursor.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  1,
                  42
                ]
              },
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "project_joined",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 1,
                "projectId": 7
              }
            ]
          },
          "examples": [
            {
              "name": "project_joined",
              "payload": {
                "type": "project_joined",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 1,
                "projectId": 7
              }
            }
          ],
          "x-parser-unique-object-id": "ServerProjectJoined"
        },
        "ServerProjectLeft": {
          "name": "project:left",
          "title": "project:left",
          "summary": "Confirms that the receiver left a project room.",
          "description": "Server data event carrying the WebSocket binding's `project_left` message (the same schema), then its offset (the message's `seq` as a string).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/project_left.json",
            "title": "ProjectLeft",
            "description": "Confirms that the receiver left a project room. A data message: carries `seq` and is replayed on resume.",
            "type": "object",
            "required": [
              "type",
              "projectId"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "project_left",
                "x-parser-schema-id": "<anonymous-schema-44>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "seq": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/seq.json",
                "title": "Seq",
                "description": "Sequence number of a server data message: starts at 1 and grows by exactly 1 per session ([ENV-004](protocol.html#ENV-004)); the resume cursor.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  1,
                  42
                ]
              },
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "project_left",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 4,
                "projectId": 7
              }
            ]
          },
          "examples": [
            {
              "name": "project_left",
              "payload": {
                "type": "project_left",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 4,
                "projectId": 7
              }
            }
          ],
          "x-parser-unique-object-id": "ServerProjectLeft"
        },
        "ServerProjectUpdate": {
          "name": "project:update",
          "title": "project:update",
          "summary": "A status change, progress report or comment in a project room the receiver is in.",
          "description": "Server data event carrying the WebSocket binding's `project_update` message (the same schema), then its offset (the message's `seq` as a string).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/project_update.json",
            "title": "ProjectUpdate",
            "description": "A status change, progress report or comment in a project room the receiver is in. A data message: carries `seq` and is replayed on resume.",
            "type": "object",
            "required": [
              "type",
              "projectId",
              "kind",
              "data"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "project_update",
                "x-parser-schema-id": "<anonymous-schema-45>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "seq": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/seq.json",
                "title": "Seq",
                "description": "Sequence number of a server data message: starts at 1 and grows by exactly 1 per session ([ENV-004](protocol.html#ENV-004)); the resume cursor.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  1,
                  42
                ]
              },
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              },
              "kind": {
                "type": "string",
                "enum": [
                  "status",
                  "progress",
                  "comment"
                ],
                "x-parser-schema-id": "<anonymous-schema-46>"
              },
              "userId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/user-id.json",
                "title": "UserId",
                "description": "A user id. The reference server uses decimal strings (`\"1\"`); the original systems also used numbers.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "examples": [
                  "1",
                  42
                ]
              },
              "data": {
                "type": "object",
                "properties": {
                  "status": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-48>"
                  },
                  "progress": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 100,
                    "x-parser-schema-id": "<anonymous-schema-49>"
                  },
                  "milestone": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-50>"
                  },
                  "comment": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-51>"
                  },
                  "attachments": {
                    "type": "array",
                    "x-parser-schema-id": "<anonymous-schema-52>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-47>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "project_update",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 3,
                "projectId": 7,
                "kind": "progress",
                "userId": "1",
                "data": {
                  "progress": 75,
                  "milestone": "Filming complete"
                }
              }
            ]
          },
          "examples": [
            {
              "name": "project_update",
              "payload": {
                "type": "project_update",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 3,
                "projectId": 7,
                "kind": "progress",
                "userId": "1",
                "data": {
                  "progress": 75,
                  "milestone": "Filming complete"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerProjectUpdate"
        },
        "ServerUserJoined": {
          "name": "user:joined",
          "title": "user:joined",
          "summary": "A user joined the conversation or project room the receiver is in.",
          "description": "Server data event carrying the WebSocket binding's `user_joined` message (the same schema), then its offset (the message's `seq` as a string).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/user_joined.json",
            "title": "UserJoined",
            "description": "A user joined the conversation or project room the receiver is in. A data message: carries `seq` and is replayed on resume.",
            "type": "object",
            "required": [
              "type",
              "userId"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "user_joined",
                "x-parser-schema-id": "<anonymous-schema-53>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "seq": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/seq.json",
                "title": "Seq",
                "description": "Sequence number of a server data message: starts at 1 and grows by exactly 1 per session ([ENV-004](protocol.html#ENV-004)); the resume cursor.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  1,
                  42
                ]
              },
              "userId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/user-id.json",
                "title": "UserId",
                "description": "A user id. The reference server uses decimal strings (`\"1\"`); the original systems also used numbers.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "examples": [
                  "1",
                  42
                ]
              },
              "conversationId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/conversation-id.json",
                "title": "ConversationId",
                "description": "Id of a chat conversation.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  12
                ]
              },
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "user_joined",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 2,
                "userId": "3",
                "projectId": 7
              }
            ]
          },
          "examples": [
            {
              "name": "user_joined",
              "payload": {
                "type": "user_joined",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 2,
                "userId": "3",
                "projectId": 7
              }
            }
          ],
          "x-parser-unique-object-id": "ServerUserJoined"
        },
        "ServerUserLeft": {
          "name": "user:left",
          "title": "user:left",
          "summary": "A user left the conversation or project room the receiver is in.",
          "description": "Server data event carrying the WebSocket binding's `user_left` message (the same schema), then its offset (the message's `seq` as a string).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/user_left.json",
            "title": "UserLeft",
            "description": "A user left the conversation or project room the receiver is in. A data message: carries `seq` and is replayed on resume.",
            "type": "object",
            "required": [
              "type",
              "userId"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "user_left",
                "x-parser-schema-id": "<anonymous-schema-54>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "seq": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/seq.json",
                "title": "Seq",
                "description": "Sequence number of a server data message: starts at 1 and grows by exactly 1 per session ([ENV-004](protocol.html#ENV-004)); the resume cursor.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  1,
                  42
                ]
              },
              "userId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/user-id.json",
                "title": "UserId",
                "description": "A user id. The reference server uses decimal strings (`\"1\"`); the original systems also used numbers.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "examples": [
                  "1",
                  42
                ]
              },
              "conversationId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/conversation-id.json",
                "title": "ConversationId",
                "description": "Id of a chat conversation.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  12
                ]
              },
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "user_left",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 3,
                "userId": "3",
                "projectId": 7
              }
            ]
          },
          "examples": [
            {
              "name": "user_left",
              "payload": {
                "type": "user_left",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 3,
                "userId": "3",
                "projectId": 7
              }
            }
          ],
          "x-parser-unique-object-id": "ServerUserLeft"
        },
        "ClientProjectJoin": {
          "name": "project:join",
          "title": "project:join",
          "summary": "Joins a project room.",
          "description": "Client event; becomes the WebSocket binding's `project_join` message. With a callback, it is acknowledged with `ack` (`data` `{projectId}`) or `error`; without one, a refusal comes as the `error` event.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../socketio-client/project_join.json",
            "title": "ProjectJoinEvent",
            "description": "Joins a project room.",
            "type": "object",
            "required": [
              "projectId"
            ],
            "properties": {
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "projectId": 7
              }
            ]
          },
          "examples": [
            {
              "name": "project_join",
              "payload": {
                "projectId": 7
              }
            }
          ],
          "x-parser-unique-object-id": "ClientProjectJoin"
        },
        "ClientProjectLeave": {
          "name": "project:leave",
          "title": "project:leave",
          "summary": "Leaves a project room.",
          "description": "Client event; becomes the WebSocket binding's `project_leave` message. With a callback, it is acknowledged with `ack` (`data` `{projectId}`) or `error`; without one, a refusal comes as the `error` event.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../socketio-client/project_leave.json",
            "title": "ProjectLeaveEvent",
            "description": "Leaves a project room.",
            "type": "object",
            "required": [
              "projectId"
            ],
            "properties": {
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "projectId": 7
              }
            ]
          },
          "examples": [
            {
              "name": "project_leave",
              "payload": {
                "projectId": 7
              }
            }
          ],
          "x-parser-unique-object-id": "ClientProjectLeave"
        },
        "ClientProjectStatusUpdate": {
          "name": "project:statusUpdate",
          "title": "project:statusUpdate",
          "summary": "Changes the status of a project.",
          "description": "Client event; becomes the WebSocket binding's `project_status_update` message. With a callback, it is acknowledged with `ack` or `error`; without one, a refusal comes as the `error` event.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../socketio-client/project_status_update.json",
            "title": "ProjectStatusUpdateEvent",
            "description": "Changes the status of a project.",
            "type": "object",
            "required": [
              "projectId",
              "status"
            ],
            "properties": {
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              },
              "status": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "x-parser-schema-id": "<anonymous-schema-55>"
              },
              "updatedBy": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/user-id.json",
                "title": "UserId",
                "description": "A user id. The reference server uses decimal strings (`\"1\"`); the original systems also used numbers.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "examples": [
                  "1",
                  42
                ]
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "projectId": 7,
                "status": "in_progress",
                "updatedBy": "1"
              }
            ]
          },
          "examples": [
            {
              "name": "project_statusUpdate",
              "payload": {
                "projectId": 7,
                "status": "in_progress",
                "updatedBy": "1"
              }
            }
          ],
          "x-parser-unique-object-id": "ClientProjectStatusUpdate"
        },
        "ClientProjectProgress": {
          "name": "project:progress",
          "title": "project:progress",
          "summary": "Reports the progress of a project, in percent.",
          "description": "Client event; becomes the WebSocket binding's `project_progress` message. With a callback, it is acknowledged with `ack` or `error`; without one, a refusal comes as the `error` event.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../socketio-client/project_progress.json",
            "title": "ProjectProgressEvent",
            "description": "Reports the progress of a project, in percent.",
            "type": "object",
            "required": [
              "projectId",
              "progress"
            ],
            "properties": {
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              },
              "progress": {
                "type": "number",
                "minimum": 0,
                "maximum": 100,
                "x-parser-schema-id": "<anonymous-schema-56>"
              },
              "milestone": {
                "type": "string",
                "maxLength": 200,
                "x-parser-schema-id": "<anonymous-schema-57>"
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "projectId": 7,
                "progress": 75,
                "milestone": "Filming complete"
              }
            ]
          },
          "examples": [
            {
              "name": "project_progress",
              "payload": {
                "projectId": 7,
                "progress": 75,
                "milestone": "Filming complete"
              }
            }
          ],
          "x-parser-unique-object-id": "ClientProjectProgress"
        },
        "ClientProjectComment": {
          "name": "project:comment",
          "title": "project:comment",
          "summary": "Comments on a project.",
          "description": "Client event; becomes the WebSocket binding's `project_comment` message. With a callback, it is acknowledged with `ack` or `error`; without one, a refusal comes as the `error` event.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../socketio-client/project_comment.json",
            "title": "ProjectCommentEvent",
            "description": "Comments on a project.",
            "type": "object",
            "required": [
              "projectId",
              "comment"
            ],
            "properties": {
              "projectId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/project-id.json",
                "title": "ProjectId",
                "description": "Id of a project room.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  7
                ]
              },
              "comment": {
                "type": "string",
                "minLength": 1,
                "maxLength": 10000,
                "x-parser-schema-id": "<anonymous-schema-58>"
              },
              "attachments": {
                "type": "array",
                "maxItems": 20,
                "x-parser-schema-id": "<anonymous-schema-59>"
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "projectId": 7,
                "comment": "Great work!",
                "attachments": []
              }
            ]
          },
          "examples": [
            {
              "name": "project_comment",
              "payload": {
                "projectId": 7,
                "comment": "Great work!",
                "attachments": []
              }
            }
          ],
          "x-parser-unique-object-id": "ClientProjectComment"
        }
      },
      "tags": [
        {
          "name": "chat",
          "description": "Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003)."
        },
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "x-parser-unique-object-id": "socketio_projects"
    }
  },
  "operations": {
    "socketio_projects.receive": {
      "action": "receive",
      "channel": "$ref:$.channels.socketio_projects",
      "title": "Receive on Socket.IO /projects",
      "summary": "Events the server emits on namespace /projects.",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_projects.messages.ConnectionEstablished",
        "$ref:$.channels.socketio_projects.messages.Error",
        "$ref:$.channels.socketio_projects.messages.ServerProjectJoined",
        "$ref:$.channels.socketio_projects.messages.ServerProjectLeft",
        "$ref:$.channels.socketio_projects.messages.ServerProjectUpdate",
        "$ref:$.channels.socketio_projects.messages.ServerUserJoined",
        "$ref:$.channels.socketio_projects.messages.ServerUserLeft"
      ],
      "x-parser-unique-object-id": "socketio_projects.receive"
    },
    "socketio_projects.send.project_join": {
      "action": "send",
      "channel": "$ref:$.channels.socketio_projects",
      "title": "Emit project:join on Socket.IO /projects",
      "summary": "Joins a project room.",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_projects.messages.ClientProjectJoin"
      ],
      "description": "With an acknowledgement callback, the reply is its one argument: exactly one `ack` or `error` message ([SIO-013](protocol.html#SIO-013)).",
      "reply": {
        "channel": "$ref:$.channels.socketio_projects",
        "messages": [
          "$ref:$.channels.socketio_projects.messages.Ack",
          "$ref:$.channels.socketio_projects.messages.AckError"
        ]
      },
      "x-parser-unique-object-id": "socketio_projects.send.project_join"
    },
    "socketio_projects.send.project_leave": {
      "action": "send",
      "channel": "$ref:$.channels.socketio_projects",
      "title": "Emit project:leave on Socket.IO /projects",
      "summary": "Leaves a project room.",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_projects.messages.ClientProjectLeave"
      ],
      "description": "With an acknowledgement callback, the reply is its one argument: exactly one `ack` or `error` message ([SIO-013](protocol.html#SIO-013)).",
      "reply": {
        "channel": "$ref:$.channels.socketio_projects",
        "messages": [
          "$ref:$.channels.socketio_projects.messages.Ack",
          "$ref:$.channels.socketio_projects.messages.AckError"
        ]
      },
      "x-parser-unique-object-id": "socketio_projects.send.project_leave"
    },
    "socketio_projects.send.project_statusUpdate": {
      "action": "send",
      "channel": "$ref:$.channels.socketio_projects",
      "title": "Emit project:statusUpdate on Socket.IO /projects",
      "summary": "Changes the status of a project.",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_projects.messages.ClientProjectStatusUpdate"
      ],
      "description": "With an acknowledgement callback, the reply is its one argument: exactly one `ack` or `error` message ([SIO-013](protocol.html#SIO-013)).",
      "reply": {
        "channel": "$ref:$.channels.socketio_projects",
        "messages": [
          "$ref:$.channels.socketio_projects.messages.Ack",
          "$ref:$.channels.socketio_projects.messages.AckError"
        ]
      },
      "x-parser-unique-object-id": "socketio_projects.send.project_statusUpdate"
    },
    "socketio_projects.send.project_progress": {
      "action": "send",
      "channel": "$ref:$.channels.socketio_projects",
      "title": "Emit project:progress on Socket.IO /projects",
      "summary": "Reports the progress of a project, in percent.",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_projects.messages.ClientProjectProgress"
      ],
      "description": "With an acknowledgement callback, the reply is its one argument: exactly one `ack` or `error` message ([SIO-013](protocol.html#SIO-013)).",
      "reply": {
        "channel": "$ref:$.channels.socketio_projects",
        "messages": [
          "$ref:$.channels.socketio_projects.messages.Ack",
          "$ref:$.channels.socketio_projects.messages.AckError"
        ]
      },
      "x-parser-unique-object-id": "socketio_projects.send.project_progress"
    },
    "socketio_projects.send.project_comment": {
      "action": "send",
      "channel": "$ref:$.channels.socketio_projects",
      "title": "Emit project:comment on Socket.IO /projects",
      "summary": "Comments on a project.",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_projects.messages.ClientProjectComment"
      ],
      "description": "With an acknowledgement callback, the reply is its one argument: exactly one `ack` or `error` message ([SIO-013](protocol.html#SIO-013)).",
      "reply": {
        "channel": "$ref:$.channels.socketio_projects",
        "messages": [
          "$ref:$.channels.socketio_projects.messages.Ack",
          "$ref:$.channels.socketio_projects.messages.AckError"
        ]
      },
      "x-parser-unique-object-id": "socketio_projects.send.project_comment"
    }
  },
  "x-parser-spec-parsed": true,
  "x-parser-api-version": 3,
  "x-parser-spec-stringified": true
};
    const config = {"show":{"sidebar":true},"sidebar":{"showOperations":"byDefault"}};
    const appRoot = document.getElementById('root');
    AsyncApiStandalone.render(
        { schema, config, }, appRoot
    );
  