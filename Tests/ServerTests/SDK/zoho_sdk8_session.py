"""One session of Zoho's official Python SDK (zohocrmsdk8-0, API v8) against `crm-replica serve`.

Unchanged SDK code, given only a local base URL: upsert with duplicate_check_fields Email,
create, search by email (a hit and a miss), list deleted records, and add a contact to a
campaign through related records. Prints what the SDK parsed, as one JSON object, for the
Swift test (ServeSDKTests) to check. Settings come from the environment:
BASE_URL, TOKEN, RESOURCE_DIR, DUPLICATE_EMAIL, UPDATE_EMAIL, CAMPAIGN_ID.
"""
import json
import os
import sys

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.token_store import TokenStore
from zohocrmsdk.src.com.zoho.api.logger import Logger
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig
from zohocrmsdk.src.com.zoho.crm.api.record import (APIException, ActionWrapper, BodyWrapper, DeletedRecordsWrapper,
                                                    GetDeletedRecordsParam, Record, RecordOperations, ResponseWrapper,
                                                    SearchRecordsParam, SuccessResponse)
from zohocrmsdk.src.com.zoho.crm.api.related_records import BodyWrapper as RelatedBody
from zohocrmsdk.src.com.zoho.crm.api.related_records import RelatedRecordsOperations


class MemoryStore(TokenStore):
    """Keeps the token in memory, so the SDK writes no sdk_tokens.txt."""

    def __init__(self):
        self.tokens = []

    def find_token(self, token):
        return None

    def save_token(self, token):
        self.tokens.append(token)

    def delete_token(self, id):
        pass

    def get_tokens(self):
        return self.tokens

    def delete_tokens(self):
        self.tokens = []

    def find_token_by_id(self, id):
        return None


def value(field):
    """A Choice's value, or the plain value."""
    return field.get_value() if hasattr(field, "get_value") else field


def item(entry):
    """What the SDK parsed of one response item."""
    if isinstance(entry, (SuccessResponse, APIException)) or hasattr(entry, "get_code"):
        details = entry.get_details() or {}
        parsed = {"class": type(entry).__module__.split(".")[-2] + "." + type(entry).__name__, "code": value(entry.get_code()), "status": value(entry.get_status()),
                  "message": value(entry.get_message()), "id": str(details.get("id")) if details.get("id") is not None else None}
        if hasattr(entry, "get_action") and entry.get_action() is not None:
            parsed["action"] = value(entry.get_action())
        if isinstance(details.get("duplicate_record"), dict) or details.get("duplicate_record") is not None:
            record = details.get("duplicate_record")
            parsed["duplicate_record_id"] = str(record.get("id")) if isinstance(record, dict) else str(getattr(record, "get_id", lambda: None)())
        return parsed
    return {"class": type(entry).__name__}


def items(response):
    if response is None:
        return {"error": "the SDK returned None (see the SDK log)"}
    body = response.get_object()
    # Record calls parse into record.ActionWrapper, related-records calls into their own.
    if isinstance(body, ActionWrapper) or (body is not None and type(body).__name__ == "ActionWrapper"):
        return {"status": response.get_status_code(), "items": [item(entry) for entry in body.get_data()]}
    return {"status": response.get_status_code(), "object": type(body).__name__, "body": item(body) if body is not None else None}


def main():
    base = os.environ["BASE_URL"].rstrip("/")
    environment = DataCenter.Environment(base, base + "/oauth/v2/token", base)
    token = OAuthToken(access_token=os.environ["TOKEN"], find_user=False)
    logger = Logger.get_instance(level=Logger.Levels.INFO, file_path=os.path.join(os.environ["RESOURCE_DIR"], "sdk.log"))
    Initializer.initialize(environment=environment, token=token, store=MemoryStore(),
                           sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False),
                           resource_path=os.environ["RESOURCE_DIR"], logger=logger)
    result = {}
    contacts = RecordOperations("Contacts")

    def record(**fields):
        entry = Record()
        for key, value in fields.items():
            entry.add_key_value(key, value)
        return entry

    body = BodyWrapper()
    body.set_data([record(Last_Name="Dup", Email=os.environ["DUPLICATE_EMAIL"]),
                   record(Last_Name="Park", Email=os.environ["UPDATE_EMAIL"]),
                   record(Last_Name="Lovelace", First_Name="Ada", Email="ada.sdk@example.com")])
    body.set_duplicate_check_fields(["Email"])
    result["upsert"] = items(contacts.upsert_records(body))

    body = BodyWrapper()
    body.set_data([record(Last_Name="Created", Email="created.sdk@example.com")])
    result["create"] = items(contacts.create_records(body))

    def search(email):
        params = ParameterMap()
        params.add(SearchRecordsParam.email, email)
        response = contacts.search_records(params)
        if response is None:
            return {"error": "the SDK returned None (see the SDK log)"}
        found = response.get_object()
        if found is None:
            return {"status": response.get_status_code(), "records": None}
        if isinstance(found, ResponseWrapper):
            return {"status": response.get_status_code(), "records": [str(entry.get_id()) for entry in found.get_data()]}
        return {"status": response.get_status_code(), "object": type(found).__name__, "body": item(found)}

    result["search_hit"] = search("ada.sdk@example.com")
    result["search_miss"] = search("nobody.sdk@example.com")

    params = ParameterMap()
    params.add(GetDeletedRecordsParam.type, "all")
    response = contacts.get_deleted_records(params)
    deleted = response.get_object() if response is not None else None
    result["deleted"] = {"status": response.get_status_code() if response else None,
                         "ids": [str(entry.get_id()) for entry in deleted.get_data()] if isinstance(deleted, DeletedRecordsWrapper) else None,
                         "types": [value(entry.get_type()) for entry in deleted.get_data()] if isinstance(deleted, DeletedRecordsWrapper) else None}

    added = result["create"].get("items", [{}])[0].get("id")
    member = record(Member_Status="Invited")
    member.set_id(int(added))
    related = RelatedBody()
    related.set_data([member])
    response = RelatedRecordsOperations("Contacts", "Campaigns").update_related_records(int(os.environ["CAMPAIGN_ID"]), related)
    result["campaign"] = items(response)

    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
