//! User administration (administrators): list, add, disable/enable, unlock.

use iris_types::{AddUserRequest, ApiError, ChangeUserRequest, UserChange, UserDto};
use iris_vault::{Role, VaultError};

use crate::AppCore;
use crate::dto::user_dto;
use crate::errors::api_error;

impl AppCore {
    pub async fn list_users(&self) -> Result<Vec<UserDto>, ApiError> {
        let (v, actor) = self.actor().await?;
        Ok(v.list_users(&actor, self.now_ms())
            .await
            .map_err(api_error)?
            .into_iter()
            .map(user_dto)
            .collect())
    }

    pub async fn add_user(&self, req: AddUserRequest) -> Result<Vec<UserDto>, ApiError> {
        let (v, actor) = self.actor().await?;
        let role = Role::parse(&req.role).ok_or_else(|| {
            api_error(VaultError::invalid("role", "admin|physician|nurse|analyst"))
        })?;
        v.add_user(
            &actor,
            &req.name,
            role,
            &req.initial_password,
            self.now_ms(),
        )
        .await
        .map_err(api_error)?;
        self.list_users().await
    }

    pub async fn change_user(&self, req: ChangeUserRequest) -> Result<Vec<UserDto>, ApiError> {
        let (v, actor) = self.actor().await?;
        let now = self.now_ms();
        match req.change {
            UserChange::Disable => v.set_disabled(&actor, &req.name, true, now).await,
            UserChange::Enable => v.set_disabled(&actor, &req.name, false, now).await,
            UserChange::Unlock => v.unlock_user(&actor, &req.name, now).await,
        }
        .map_err(api_error)?;
        self.list_users().await
    }
}
